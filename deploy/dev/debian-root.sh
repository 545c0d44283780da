# A clean Debian 12 root for the packaging tests (install-test, arm64-test), sourced by them: made with
# debootstrap for an architecture, its mounts, a way to run a command in it, and its removal.
# Needs root; the caller sets `root` (an empty folder's path) and calls root_cleanup from its EXIT trap.
mirror="${CHISO_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# root_make ARCH LOG: debootstrap --variant=minbase bookworm, the archive's updates and security, the mounts.
# A foreign ARCH runs through qemu-user-static, registered with binfmt_misc (deploy/dev/setup rpi-arm64).
root_make() {
  local arch=$1 log=$2
  [[ $root == /*/* ]] || { echo "root_make: no root folder set ('$root')"; return 1; }  # never the machine's own /
  debootstrap --arch="$arch" --variant=minbase bookworm "$root" "$mirror" >"$log" 2>&1 || { tail -20 "$log"; return 1; }
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  mount -t proc proc "$root/proc"
  mount -t sysfs sys "$root/sys"
  mount --bind /dev "$root/dev"
  mount --bind /dev/pts "$root/dev/pts"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
}

root_cleanup() {
  local mount
  [[ ${root:-} == /*/* ]] || return 0
  for mount in dev/pts dev proc sys; do umount -l "$root/$mount" 2>/dev/null || true; done
}

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

# root_install LOG DEB...: apt-get install of the given packages (paths inside the root); Depends from the archive.
root_install() {
  local log=$1; shift
  in_root apt-get update -qq
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1 ||
    { tail -30 "$log"; return 1; }
}

# png_check FILE: a 1920×1080 PNG with more than an empty screen's bytes.
png_check() {
  python3 - "$1" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (1920, 1080), (width, height)
assert len(data) > 50_000, f"{len(data)} bytes: an empty screen?"
print(f"screenshot: {width}x{height}, {len(data)} bytes")
EOF
}
