package instance_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// hostile is a request value that would change an answer's meaning if it
// were written into it unescaped.
type hostile struct {
	name  string
	value string
	// markup must not appear in an HTML, XML or text answer: the element or
	// attribute it would add. "" when the value adds none (javascript: is
	// caught by the URL check instead).
	markup string
	// jsonRaw must not appear unescaped in a JSON answer: the bytes JSON
	// itself must escape (a quote counts as escaped behind an odd run of
	// backslashes). A JSON answer may hold <, >, & and U+2028/U+2029 as they
	// are, as the real Alipay gateway writes them (issue 12 item 1): RFC 8259
	// allows them, and what keeps a browser from running such an answer is
	// not the encoder but the answer's headers, checked for every JSON
	// answer: Content-Security-Policy default-src 'none' + sandbox (no
	// script runs in it) and nosniff (no page can load it as a script). So
	// markup is not looked for in JSON; HTML pages keep the byte rule.
	jsonRaw string
}

var hostiles = []hostile{
	{"script element", `<script>alert(1)</script>`, `<script>alert(1)`, ""},
	{"attribute breakout", `"><img src=x onerror=alert(2)>`, `<img src=x onerror=alert(2)>`, `"><img`},
	{"single-quote breakout", `'><svg onload=alert(3)>`, `<svg onload=alert(3)>`, ""},
	{"closing raw-text elements", `</textarea></title></script><script>alert(4)</script>`, `</textarea></title></script>`, ""},
	{"javascript URL", `javascript:alert(5)`, "", ""},
	{"quotes and backslashes", `q"u\o\"te`, `q"u\o\"te`, `q"u\o\"te`},
	{"control characters and a header", "c\x00t\x01r\x1fl\r\nX-Injected: 1", "", "\x01r\x1f"},
	{"line and paragraph separators", "l\u2028s\u2029p<b>", "s\u2029p<b>", ""},
	{"invalid utf-8", "\xff\xfe<b>bad</b>", "<b>bad</b>", "\xff\xfe"},
	// 0x81 0x5C is one gbk character whose trail byte is a backslash: a
	// writer escaping bytes instead of characters would let the quote out.
	{"gbk trail byte backslash", "\x81\\\"<i>gbk</i>", "<i>gbk</i>", ""},
	{"percent-encoded markup", "%3Cscript%3Ealert(9)%3C%2Fscript%3E", "<script>alert(9)", ""},
	{"entity-encoded markup", "&lt;script&gt;alert(10)&lt;/script&gt;", "<script>alert(10)", ""},
}

// answerCSP is what every answer that is not an HTML page must carry.
const answerCSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

// checkAnswer returns what is wrong with one answer: a 5xx, a header
// injected, an unsafe redirect, a missing or loose Content-Security-Policy,
// and, by kind of body, invalid JSON or XML, a hostile value written into
// it unescaped, or markup that could run script. Every hostile value is
// looked for, whichever the request carried: the sandbox holds them all as
// stored text too.
func checkAnswer(resp *http.Response, body []byte) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	if resp.StatusCode >= 500 {
		fail("HTTP %d", resp.StatusCode)
	}
	if resp.Header.Get("X-Injected") != "" {
		fail("a header was injected: %q", resp.Header.Values("X-Injected"))
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err != nil || !(u.Scheme == "" || u.Scheme == "http" || u.Scheme == "https") {
			fail("redirect to %q", loc)
		}
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		fail("no X-Content-Type-Options: nosniff")
	}
	mt, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	csp := resp.Header.Get("Content-Security-Policy")
	isPage := mt == "text/html" && !bytes.HasPrefix(body, []byte("{"))
	if !isPage && csp != answerCSP {
		fail("%s answer with Content-Security-Policy %q, want %q", mt, csp, answerCSP)
	}
	if len(body) == 0 {
		return bad
	}
	text := body
	if strings.EqualFold(params["charset"], "gbk") {
		if u, err := simplifiedchinese.GBK.NewDecoder().Bytes(body); err == nil {
			text = u
		} else {
			fail("the gbk body does not decode: %v", err)
		}
	}
	isJSON := !isPage && (mt == "application/json" || mt == "text/html")
	switch {
	case isPage:
		bad = append(bad, checkPage(csp, text)...)
	case isJSON:
		bad = append(bad, checkJSON(text)...)
	case mt == "text/xml" || mt == "application/xml":
		bad = append(bad, checkXML(body)...)
	case mt != "text/plain":
		return bad // images and zip files
	}
	for _, h := range hostiles {
		switch {
		case isJSON:
			if h.jsonRaw != "" && unescapedIn(text, h.jsonRaw) {
				fail("JSON holds %q unescaped: %.300q", h.jsonRaw, text)
			}
		case h.markup != "" && bytes.Contains(text, []byte(h.markup)):
			fail("%s holds %q unescaped", mt, h.markup)
		}
	}
	return bad
}

// unescapedIn reports whether raw occurs in a JSON text other than behind
// an escaping backslash: `\"><img` is a quote inside a string, `"><img`
// one that ends it.
func unescapedIn(text []byte, raw string) bool {
	for from := 0; ; {
		i := bytes.Index(text[from:], []byte(raw))
		if i < 0 {
			return false
		}
		i += from
		slashes := 0
		for j := i - 1; j >= 0 && text[j] == '\\'; j-- {
			slashes++
		}
		if slashes%2 == 0 {
			return true
		}
		from = i + 1
	}
}

// checkJSON wants valid JSON none of whose keys holds a hostile value: a
// key is never built from a request.
func checkJSON(body []byte) []string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{fmt.Sprintf("invalid JSON (%v): %.300q", err, body)}
	}
	var bad []string
	walkKeys(v, func(k string) {
		for _, h := range hostiles {
			if strings.Contains(k, h.value) || h.markup != "" && strings.Contains(k, h.markup) {
				bad = append(bad, fmt.Sprintf("a JSON key is built from the request: %q", k))
			}
		}
	})
	return bad
}

func walkKeys(v any, f func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			f(k)
			walkKeys(x, f)
		}
	case []any:
		for _, x := range v {
			walkKeys(x, f)
		}
	}
}

func checkXML(body []byte) []string {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = func(cs string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(cs, "gbk") {
			return simplifiedchinese.GBK.NewDecoder().Reader(r), nil
		}
		return nil, errors.New("charset " + cs)
	}
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return []string{fmt.Sprintf("invalid XML (%v): %.300q", err, body)}
		}
	}
}

// urlAttributes are the attributes a javascript: URL would run from.
var urlAttributes = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true, "data": true, "poster": true}

// checkPage looks at an HTML page as a browser would: no event-handler
// attribute, no script URL, every inline script allowed by the page's CSP
// by hash (none is allowed otherwise), no script-src that allows inline
// script at large.
func checkPage(csp string, page []byte) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "'unsafe-inline' 'unsafe-eval'") {
		fail("page with Content-Security-Policy %q", csp)
	}
	if src := directive(csp, "script-src"); strings.Contains(src, "'unsafe-inline'") || strings.Contains(src, "*") || strings.Contains(src, "'self'") {
		fail("page CSP allows scripts beyond its own hashed ones: %q", src)
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	inScript := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				fail("HTML does not tokenize: %v", z.Err())
			}
			return bad
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			inScript = tok.Data == "script"
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") {
					fail("<%s %s=%q>: an event handler", tok.Data, a.Key, a.Val)
				}
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if urlAttributes[a.Key] && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text/html")) {
					fail("<%s %s=%q>: a script URL", tok.Data, a.Key, a.Val)
				}
				if inScript && a.Key == "src" {
					fail("<script src=%q>", a.Val)
				}
			}
		case html.TextToken:
			if inScript {
				js := z.Text()
				sum := sha256.Sum256(js)
				if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(directive(csp, "script-src"), hash) {
					fail("an inline script the CSP does not allow by hash: %.200q", js)
				}
			}
		case html.EndTagToken:
			inScript = false
		}
	}
}

// directive is the value of one CSP directive ("" when absent).
func directive(csp, name string) string {
	for d := range strings.SplitSeq(csp, ";") {
		if k, v, _ := strings.Cut(strings.TrimSpace(d), " "); k == name {
			return v
		}
	}
	return ""
}

// TestCheckAnswerCatches: the sweep's rules fail what they must. A JSON
// answer may hold markup raw only with the answer CSP and nosniff; a quote
// that ends a string early, a page with markup, or JSON without the CSP
// are caught.
func TestCheckAnswerCatches(t *testing.T) {
	answer := func(ct, csp string) *http.Response {
		h := http.Header{"Content-Type": {ct}, "X-Content-Type-Options": {"nosniff"}}
		if csp != "" {
			h.Set("Content-Security-Policy", csp)
		}
		return &http.Response{StatusCode: 200, Header: h}
	}
	jsonCT := "text/html;charset=utf-8"
	cases := []struct {
		name string
		resp *http.Response
		body string
		bad  bool
	}{
		{"raw markup in a JSON string", answer(jsonCT, answerCSP), `{"a":"\"><img src=x onerror=alert(2)> l` + "\u2028" + `"}`, false},
		{"a quote ending the JSON string", answer(jsonCT, answerCSP), `{"a":"\\"><img src=x onerror=alert(2)>"}`, true},
		{"JSON without the answer CSP", answer(jsonCT, ""), `{"a":"<b>"}`, true},
		{"markup in an HTML page", answer("text/html", "default-src 'none'"), `<p><script>alert(1)</script></p>`, true},
	}
	for _, c := range cases {
		if got := checkAnswer(c.resp, []byte(c.body)); (len(got) > 0) != c.bad {
			t.Errorf("%s: problems %q, want bad=%v", c.name, got, c.bad)
		}
	}
}
