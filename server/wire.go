package server

import "github.com/mockpay/mockpay/controlapi"

// The control API's JSON types are controlapi's, shared with its Go
// client (the channels' app views fill controlapi.App and Partner). These
// are the server's short names for the request and error types many of its
// files use.
type (
	createAppRequest = controlapi.CreateAppRequest
	apiError         = controlapi.Error
)
