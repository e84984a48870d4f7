package server

import "github.com/mockpay/mockpay/controlapi"

// The control API's JSON types are controlapi's, shared with its Go
// client. These are the server's names for the ones the app views and the
// error answers use.
type (
	appJSON          = controlapi.App
	partnerJSON      = controlapi.Partner
	createAppRequest = controlapi.CreateAppRequest
	apiError         = controlapi.Error
)
