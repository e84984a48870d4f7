package web

import "testing"

func TestURLWrap(t *testing.T) {
	got := string(URLWrap(`http://shop.example/pay/notify?a=<b>&c="d"`))
	want := `http://<wbr>shop.example/<wbr>pay/<wbr>notify?<wbr>a=<wbr>&lt;b&gt;&amp;<wbr>c=<wbr>&#34;d&#34;`
	if got != want {
		t.Errorf("URLWrap = %s\nwant       %s", got, want)
	}
}
