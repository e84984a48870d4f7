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
	// Pay or UnionPay merchant): its fields as the API wrote them, every
	// value a string; App then holds those of its fields App has.
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
	}
	// OpenAPI, or another platform's app: App's fields, and for another
	// platform every field as it is.
	e.App = &App{}
	if err := json.Unmarshal(b, e.App); err != nil {
		return err
	}
	if head.Protocol != ProtocolOpenAPI && head.Protocol != "" {
		e.Other = map[string]string{}
		if json.Unmarshal(b, &e.Other) != nil {
			e.Other = nil // not all strings: App's fields are what there is
		}
	}
	return nil
}
