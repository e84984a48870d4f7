package cashier

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"regexp"

	"github.com/boombuler/barcode/qr"
	"github.com/labstack/echo/v4"

	"github.com/mockpay/mockpay/payment"
)

// ScanPath is where a precreate qr_code leads: opening it is the buyer
// scanning the code with the Alipay app.
func ScanPath(code string) string { return "/cashier/qr/" + code }

// qrImagePath serves the code itself as a PNG.
func qrImagePath(code string) string { return ScanPath(code) + "/image.png" }

var qrCodePattern = regexp.MustCompile(`^[0-9a-z]{20}$`)

// Scan is the buyer scanning a precreate code: the trade is created now,
// pending (alipay-protocol.md §2.7), and the cashier shows it with the code's image.
// An expired code shows the platform's error page.
func (h *Cashier) Scan(c echo.Context) error {
	code := c.Param("code")
	t, err := h.Service.OpenCheckout(c.Request().Context(), code)
	if err != nil {
		return h.ErrorPage(c, err)
	}
	return h.showTrade(c, cashierView{Action: tradeCashierPath(t.TradeNo), Trade: t, QRImage: qrImagePath(code)})
}

// QRImage serves a precreate code as a QR code PNG that encodes its scan
// URL, so a phone on the same network can scan the screen. Drawing it
// changes nothing: only opening the URL is a scan.
func (h *Cashier) QRImage(c echo.Context) error {
	code := c.Param("code")
	if !qrCodePattern.MatchString(code) {
		return h.ErrorPage(c, payment.Errorf(payment.CodeTradeNotExist, "%q is not a mockpay QR code", code))
	}
	img, err := QRPNG(c.Scheme() + "://" + c.Request().Host + ScanPath(code))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/png", img)
}

// QRPNG draws text as a QR code PNG (error correction level M) of about
// 256 pixels a side, with the 4-module quiet zone scanners need.
func QRPNG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	n := code.Bounds().Dx()
	scale := max(1, 256/(n+2*quietZone))
	side := (n + 2*quietZone) * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			mx, my := x/scale-quietZone, y/scale-quietZone
			if mx < 0 || my < 0 || mx >= n || my >= n || !isDark(code.At(mx, my)) {
				img.SetGray(x, y, color.Gray{Y: 0xff})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func isDark(c color.Color) bool {
	r, _, _, _ := c.RGBA()
	return r < 0x8000
}

// quietZone is the white border of a QR code, in modules (ISO/IEC 18004).
const quietZone = 4
