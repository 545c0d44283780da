#include "allocator.hpp"

#include <malloc.h>

namespace chiso::kiosk {

void return_large_blocks_to_the_system() {
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);  // glibc's own starting value, now fixed
}

}  // namespace chiso::kiosk
