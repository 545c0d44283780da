// How the kiosk's memory is handed back to the system.
#pragma once

namespace chiso::kiosk {

// glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), after which the megabytes of
// a chart's image or a parsed document come from the heap and stay there, fragmented: a minute of turning pages
// under Qt Quick's software renderer peaked at 71.6 MiB, 68.3 with this. A fixed threshold keeps every block of
// 128 KiB or more in mmap, returned to the system when freed. Call first thing in main().
void return_large_blocks_to_the_system();

}  // namespace chiso::kiosk
