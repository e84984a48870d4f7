package mapi

import (
	"encoding/xml"
	"strings"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/sign"
)

// xmlDoc writes the gateway's XML answers (§1.7, §1.8, §1.10) with exact
// bytes: element order is part of what merchants parse.
type xmlDoc struct{ b strings.Builder }

func newXML(cs kit.Charset) *xmlDoc {
	d := &xmlDoc{}
	d.b.WriteString(`<?xml version="1.0" encoding="` + xmlEncodingName(cs) + `"?>`)
	return d
}

func (d *xmlDoc) open(name string) *xmlDoc  { d.b.WriteString("<" + name + ">"); return d }
func (d *xmlDoc) close(name string) *xmlDoc { d.b.WriteString("</" + name + ">"); return d }

// leaf writes <name>value</name> with value escaped.
func (d *xmlDoc) leaf(name, value string) *xmlDoc {
	d.open(name)
	_ = xml.EscapeText(&d.b, []byte(value)) // a strings.Builder never fails
	return d.close(name)
}

// leaves writes one leaf per parameter, in order.
func (d *xmlDoc) leaves(p sign.Params) *xmlDoc {
	for _, kv := range p {
		d.leaf(kv.Key, kv.Value)
	}
	return d
}

// request echoes the call's parameters as <param name="k">v</param>, as
// real answers do; sign and sign_type stay out (unconfirmed, §1.7).
func (d *xmlDoc) request(p sign.Params) *xmlDoc {
	d.open("request")
	for _, kv := range p {
		if kv.Key == "sign" || kv.Key == "sign_type" {
			continue
		}
		d.b.WriteString(`<param name="`)
		_ = xml.EscapeText(&d.b, []byte(kv.Key))
		d.b.WriteString(`">`)
		_ = xml.EscapeText(&d.b, []byte(kv.Value))
		d.b.WriteString(`</param>`)
	}
	return d.close("request")
}

func (d *xmlDoc) reply(cs kit.Charset) *Reply {
	return &Reply{Body: kit.Encode(d.b.String(), cs), ContentType: "text/xml; charset=" + xmlEncodingName(cs)}
}

func xmlEncodingName(cs kit.Charset) string {
	if cs == kit.GBK {
		return "GBK"
	}
	return "utf-8"
}

// errorXML is every server service's failure: is_success F and the code
// (§1.8, §1.10).
func errorXML(w WireError, cs kit.Charset) *Reply {
	if cs == "" {
		cs = kit.UTF8
	}
	return newXML(cs).open("alipay").leaf("is_success", "F").leaf("error", w.Code).close("alipay").reply(cs)
}

// successXML is a server service's answer. With a response node (e.g.
// "trade"), its fields are signed like a notification, over the bytes in
// the partner's charset, and sign and sign_type close the document
// (§1.8; what real answers sign is unconfirmed).
func successXML(c *Call, node string, fields sign.Params) (*Reply, error) {
	d := newXML(c.Charset).open("alipay").leaf("is_success", "T")
	if node == "" {
		return d.close("alipay").reply(c.Charset), nil
	}
	d.request(c.Params)
	d.open("response").open(node).leaves(fields).close(node).close("response")
	st := c.SignType
	if st == "" {
		st = sign.MD5Type // an unsigned call (query_timestamp) gets the MD5 answer every partner can check
	}
	sig, err := signParams(c.Partner, st, c.Charset, fields)
	if err != nil {
		return nil, err
	}
	d.leaf("sign", sig).leaf("sign_type", string(st)).close("alipay")
	return d.reply(c.Charset), nil
}

// textReply is notify_verify's plain-text answer (§1.6).
func textReply(s string) Outcome {
	return Outcome{Reply: &Reply{Body: []byte(s), ContentType: "text/plain; charset=utf-8"}}
}
