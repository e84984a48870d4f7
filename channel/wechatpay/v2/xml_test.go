package v2

import (
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	cases := []struct {
		name string
		body string
		want Values
		err  error
	}{
		{"cdata and plain", `<xml><appid><![CDATA[wx1]]></appid><total_fee>1</total_fee></xml>`, Values{"appid": "wx1", "total_fee": "1"}, nil},
		{"declaration and spaces", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n <a>x</a>\n</xml>\n", Values{"a": "x"}, nil},
		{"escaped text", `<xml><a>1 &lt; 2 &amp; &#104;tml</a></xml>`, Values{"a": "1 < 2 & html"}, nil},
		{"empty field", `<xml><a></a><b/></xml>`, Values{"a": "", "b": ""}, nil},
		{"any root name", `<root><a>x</a></root>`, Values{"a": "x"}, nil},
		{"empty body", "  \n", nil, ErrEmpty},
		{"not xml", `appid=wx1&mch_id=1`, nil, ErrFormat},
		{"json", `{"appid":"wx1"}`, nil, ErrFormat},
		{"unclosed", `<xml><a>x</a>`, nil, ErrFormat},
		{"nested", `<xml><a><b>x</b></a></xml>`, nil, ErrFormat},
		{"repeated field", `<xml><a>x</a><a>y</a></xml>`, nil, ErrFormat},
		{"two roots", `<xml><a>x</a></xml><xml></xml>`, nil, ErrFormat},
		{"text at the root", `<xml>stray<a>x</a></xml>`, nil, ErrFormat},
		{"latin-1 bytes", "<xml><a>\xe9</a></xml>", nil, ErrNotUTF8},
		{"GBK declaration", `<?xml version="1.0" encoding="GBK"?><xml><a>x</a></xml>`, nil, ErrNotUTF8},
	}
	for _, c := range cases {
		got, err := Decode([]byte(c.body))
		if err != c.err || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Decode = %v, %v; want %v, %v", c.name, got, err, c.want, c.err)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	fields := []Field{{"a", "plain"}, {"b", "x]]>y"}, {"c", "<b>&</b>"}, {"d", "text/HTML or html5 <html>"},
		{"e", ""}, {"f", "中文"}, {"g", "line\nbreak"}}
	b := Encode(fields)
	if strings.Contains(strings.ToLower(string(b)), "html") {
		t.Errorf("the bytes hold html: %s", b)
	}
	if strings.Contains(string(b), "<e>") {
		t.Errorf("an empty field is written: %s", b)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	want := Values{}
	for _, f := range fields {
		if f.Value != "" {
			want[f.Name] = f.Value
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip: %v, want %v", got, want)
	}
	// encoding/xml (what gopay unmarshals with) reads the same values.
	var s struct {
		D string `xml:"d"`
		B string `xml:"b"`
	}
	if err := xml.Unmarshal(b, &s); err != nil || s.D != fields[3].Value || s.B != fields[1].Value {
		t.Errorf("encoding/xml read %+v, %v", s, err)
	}
}

func TestEncodeCDATA(t *testing.T) {
	got := string(Encode([]Field{{"return_code", "SUCCESS"}, {"total_fee", "1"}}))
	want := `<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee><![CDATA[1]]></total_fee></xml>`
	if got != want {
		t.Errorf("Encode = %s, want %s", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`<xml><a><![CDATA[x]]></a></xml>`))
	f.Add([]byte(`<xml><a>1</a><b/></xml>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Decode(b)
		if err != nil {
			return
		}
		fields := []Field{}
		for k, val := range v {
			if val != "" && xmlName(k) {
				fields = append(fields, Field{k, val})
			}
		}
		back, err := Decode(Encode(fields))
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
		for _, f := range fields {
			if back[f.Name] != f.Value {
				t.Fatalf("%s: %q became %q", f.Name, f.Value, back[f.Name])
			}
		}
	})
}

func xmlName(s string) bool {
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// What XML cannot carry is replaced, and the signature covers the value
// as written: a value stored through APIv3's JSON may hold controls.
func TestCleanAndSign(t *testing.T) {
	for in, want := range map[string]string{"a\x01b": "a\ufffdb", "ok\ttab\n": "ok\ttab\n", "\xff": "\ufffd", "\ufffe": "\ufffd", "中文": "中文"} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
	b := Encode(SignFields([]Field{{"attach", "a\x01<b>\xff"}, {"mch_id", "1"}}, testKey, MD5))
	v, err := Decode(b)
	if err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if v["attach"] != "a\ufffd<b>\ufffd" || !Verify(v, testKey, MD5) {
		t.Errorf("decoded %q, verifies %v", v["attach"], Verify(v, testKey, MD5))
	}
	if strings.Contains(string(b), "<b>") {
		t.Errorf("markup in the bytes: %s", b)
	}
}
