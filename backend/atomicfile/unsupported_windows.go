package atomicfile

import "syscall"

// errUnsupported is what syncing a folder fails with where that is not
// supported.
var errUnsupported error = syscall.ERROR_ACCESS_DENIED
