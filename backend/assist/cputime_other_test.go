//go:build !unix

package assist

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
