package corpus

import "syscall"

// mapNoReserve asks Linux not to reserve swap for the mapping: it is a
// reservation of address space, committed page by page.
const mapNoReserve = syscall.MAP_NORESERVE
