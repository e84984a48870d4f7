//go:build !unix

package store

import "os"

// tryLock has no flock(2) to call here: on systems without it, keeping two
// mockpay processes off one database is left to the operator (README).
func tryLock(*os.File) (bool, error) { return true, nil }
