// The tests of this module start mockpay (the binary in MOCKPAY_BIN, or
// one built from ../..) and drive it as a merchant would, for every
// signing scheme of the fixtures; see README.md.
package unionpay
