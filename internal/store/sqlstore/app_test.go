package sqlstore_test

import (
	"github.com/parkos/parkos/internal/app"
	"github.com/parkos/parkos/internal/store/sqlstore"
)

// The store implements every interface the services need.
var _ app.Store = (*sqlstore.Store)(nil)
