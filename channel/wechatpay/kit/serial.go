package kit

import (
	"crypto/rand"
	"math/big"
)

// NewSerial is a certificate serial of the shape P-V3-3 asks for: 20 bytes
// whose first is 0x10–0x7F, so that every SDK (big-int bytes, DER, hex of
// the serial) renders the same 40 upper-case hex digits.
func NewSerial() *big.Int {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[0] = 0x10 + b[0]%0x70
	return new(big.Int).SetBytes(b)
}
