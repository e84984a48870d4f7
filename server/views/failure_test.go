package views

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"strconv"
	"testing"

	"github.com/mockpay/mockpay/payment"
)

// paymentCodes reads every constant of type payment.Code from the payment
// package's source, so a code added later cannot miss the table unseen.
func paymentCodes(t *testing.T) []payment.Code {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), "../../payment", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []payment.Code
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.CONST {
					continue
				}
				for _, spec := range g.Specs {
					v := spec.(*ast.ValueSpec)
					if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Code" {
						continue
					}
					for _, val := range v.Values {
						if lit, ok := val.(*ast.BasicLit); ok && lit.Kind == token.STRING {
							s, _ := strconv.Unquote(lit.Value)
							codes = append(codes, payment.Code(s))
						}
					}
				}
			}
		}
	}
	if len(codes) < 40 {
		t.Fatalf("found only %d codes in payment: the parser missed them", len(codes))
	}
	return codes
}

// TestEveryDomainCodeIsAClientError: mockpay's API answers a refusal with
// a 4xx and the code; only system_error, the unexpected, is a 500.
func TestEveryDomainCodeIsAClientError(t *testing.T) {
	for _, code := range paymentCodes(t) {
		status, body := Failure(payment.Errorf(code, "detail"))
		if body.Code != string(code) || body.Message != "detail" {
			t.Errorf("%s: body %+v", code, body)
		}
		if code == payment.CodeSystemError {
			if status != http.StatusInternalServerError {
				t.Errorf("system_error answers %d, want 500", status)
			}
			continue
		}
		if status < 400 || status > 499 {
			t.Errorf("%s answers %d, want a 4xx (add it to apiStatus)", code, status)
		}
	}
	if status, _ := Failure(payment.Errorf(payment.CodeQRCodeExpired, "")); status != http.StatusGone {
		t.Errorf("an expired QR code answers %d, want 410 Gone", status)
	}
}

// TestChannelCodesAnswerByClass: a code a channel defines is not in
// apiStatus; the API answers it by the class the channel gave it.
func TestChannelCodesAnswerByClass(t *testing.T) {
	for class, want := range map[payment.Class]int{
		payment.ClassInvalid:  http.StatusBadRequest,
		payment.ClassNotFound: http.StatusNotFound,
		payment.ClassConflict: http.StatusConflict,
		payment.ClassGone:     http.StatusGone,
	} {
		code := payment.DefineCode("test_channel_code_"+strconv.Itoa(int(class)), class)
		if status, body := Failure(payment.Errorf(code, "d")); status != want || body.Code != string(code) {
			t.Errorf("class %d: %d %+v, want %d", class, status, body, want)
		}
	}
	if status, _ := Failure(payment.Errorf("never_defined", "d")); status != http.StatusInternalServerError {
		t.Errorf("an undefined code answers %d, want 500", status)
	}
}
