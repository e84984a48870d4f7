package unionpay

import (
	"encoding/json"

	"github.com/mockpay/mockpay/channel/unionpay/acp"
	"github.com/mockpay/mockpay/payment"
)

// Terms are what a UnionPay transaction said beyond the domain's order or
// refund (payment.Order.Terms, payment.Refund.Terms): its scheme, its
// codes and its txnTime, which with orderId identifies it (§4), read back
// for answers, notifications, queries and the reconciliation file.
type Terms struct {
	Version     string `json:"Version"`
	SignMethod  string `json:"SignMethod"`
	Encoding    string `json:"Encoding"`
	TxnType     string `json:"TxnType"`
	TxnSubType  string `json:"TxnSubType"`
	BizType     string `json:"BizType"`
	ChannelType string `json:"ChannelType,omitempty"`
	AccessType  string `json:"AccessType"`
	TxnTime     string `json:"TxnTime"`
	ReqReserved string `json:"ReqReserved,omitempty"`
	// OrigQryID is the original's queryId (refunds, undos, completions).
	OrigQryID string `json:"OrigQryID,omitempty"`
	// QueryID is a refund's or undo's own queryId (a trade's is its
	// TradeNo).
	QueryID string `json:"QueryID,omitempty"`
}

func termsOf(f acp.Fields) Terms {
	return Terms{Version: f["version"], SignMethod: f["signMethod"], Encoding: f["encoding"], TxnType: f["txnType"],
		TxnSubType: f["txnSubType"], BizType: f["bizType"], ChannelType: f["channelType"], AccessType: f["accessType"],
		TxnTime: f["txnTime"], ReqReserved: f["reqReserved"], OrigQryID: f["origQryId"]}
}

func (t Terms) raw() map[string]json.RawMessage {
	b, _ := json.Marshal(t) // strings only
	return map[string]json.RawMessage{acp.ChannelName: b}
}

func (t Terms) scheme() acp.Scheme {
	return acp.Scheme{Version: t.Version, SignMethod: t.SignMethod, Encoding: t.Encoding}
}

func readTerms(m map[string]json.RawMessage) Terms {
	var t Terms
	if raw, ok := m[acp.ChannelName]; ok {
		_ = json.Unmarshal(raw, &t)
	}
	if t.Version == "" {
		t.Version = acp.V510
	}
	if t.Encoding == "" {
		t.Encoding = "UTF-8"
	}
	if t.SignMethod == "" {
		t.SignMethod = acp.MethodCert
	}
	return t
}

func orderTerms(t *payment.Trade) Terms   { return readTerms(t.Terms) }
func refundTerms(r *payment.Refund) Terms { return readTerms(r.Terms) }
