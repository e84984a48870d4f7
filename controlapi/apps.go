package controlapi

import "encoding/json"

// Protocol values of an app in GET /apps.
const (
	ProtocolOpenAPI = "openapi"
	ProtocolLegacy  = "legacy"
)

// AppEntry is one entry of GET /apps and the answer of GET /apps/{app_id}:
// an OpenAPI app or a legacy partner, told apart by "protocol". Exactly
// one of the two is set.
type AppEntry struct {
	App     *App
	Partner *Partner
	// Other is an app of a protocol this package has no type for (a WeChat
	// Pay merchant, "protocol": "wechatpay"): its fields as the API wrote
	// them, every value a string.
	Other map[string]string
}

// MarshalJSON writes the entry as the app or partner it holds.
func (e AppEntry) MarshalJSON() ([]byte, error) {
	if e.Partner != nil {
		return json.Marshal(e.Partner)
	}
	if e.Other != nil {
		return json.Marshal(e.Other)
	}
	return json.Marshal(e.App)
}

// UnmarshalJSON reads an app or a partner, by its "protocol".
func (e *AppEntry) UnmarshalJSON(b []byte) error {
	var head struct {
		Protocol string `json:"protocol"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	*e = AppEntry{}
	switch head.Protocol {
	case ProtocolLegacy:
		e.Partner = &Partner{}
		return json.Unmarshal(b, e.Partner)
	case ProtocolOpenAPI, "":
		e.App = &App{}
		return json.Unmarshal(b, e.App)
	}
	// Another platform's app: its fields as they are.
	e.Other = map[string]string{}
	return json.Unmarshal(b, &e.Other)
}
