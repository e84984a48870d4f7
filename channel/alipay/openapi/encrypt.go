package openapi

import (
	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
	"github.com/mockpay/mockpay/sign"
)

// Codes of content encryption (接口内容加密, §2.2 encrypt_type, §2.6).
var (
	CodeInvalidEncryptType = payment.DefineCode("invalid_encrypt_type", payment.ClassInvalid)
	CodeInvalidEncrypt     = payment.DefineCode("invalid_encrypt", payment.ClassInvalid)
)

// decryptBiz is the envelope's content-encryption step: with
// encrypt_type=AES, biz_content is base64 of AES-CBC ciphertext under the
// app's key (kit.EncryptContent), in the request's charset once decrypted.
// It returns biz_content as text and the key the answer is encrypted with
// ("" for a plain request). The signature was verified over the encrypted
// string, as the SDKs sign it after encrypting.
func decryptBiz(app *payment.App, params sign.Params, cs kit.Charset) (biz, key string, err error) {
	et := params.Value("encrypt_type")
	switch et {
	case "":
		return params.Value("biz_content"), "", nil
	case "AES":
	default:
		return "", "", payment.Errorf(CodeInvalidEncryptType, "encrypt_type %q: only AES", et)
	}
	key = kit.Creds(app).AESKey
	if key == "" {
		return "", "", payment.Errorf(CodeInvalidEncrypt, "app %s has no AES key (create one with POST /_mockpay/api/apps {\"aes_key\":true}); send biz_content unencrypted", app.AppID)
	}
	content := params.Value("biz_content")
	if content == "" {
		return "", key, nil
	}
	plain, err := kit.DecryptContent(key, content)
	if err != nil {
		return "", "", payment.Errorf(CodeInvalidEncrypt, "biz_content: %v (GET /_mockpay/api/apps/%s shows aes_key)", err, app.AppID)
	}
	text, err := kit.ToUTF8(sign.Params{{Key: "biz_content", Value: string(plain)}}, cs)
	if err != nil {
		return "", "", err
	}
	return text.Value("biz_content"), key, nil
}

// encryptNode is an answer's node for an encrypted request: a JSON string
// holding base64 of the encrypted node bytes. The response sign covers that
// string with its quotes, the node's value as emitted (§2.5): smartwalle
// verifies exactly those bytes.
func encryptNode(node string, key string, cs kit.Charset) (string, error) {
	enc, err := kit.EncryptContent(key, kit.Encode(node, cs))
	if err != nil {
		return "", err
	}
	return quote(enc), nil
}
