package v2

import (
	"testing"

	"github.com/mockpay/mockpay/internal/goldenfile"
)

// golden compares got with testdata/name (go test -update rewrites it).
func golden(t *testing.T, name string, got []byte) { goldenfile.Check(t, name, got) }
