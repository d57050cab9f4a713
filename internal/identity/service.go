package identity

import (
	"context"
	"time"

	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/page"
)

// Store is what the identity context needs: users, sign-in, sessions and tokens, and the audit
// trail of who did what.
type Store interface {
	Authenticate(ctx context.Context, username, password string) (User, error)
	UserByToken(ctx context.Context, token string, idle time.Duration) (User, error)
	CreateSession(ctx context.Context, u User, source string, ttl time.Duration) (string, error)
	EndSession(ctx context.Context, token, source string) error
	CheckOwnPassword(ctx context.Context, sc Scope, password string) error
	ListUsers(ctx context.Context, sc Scope, f UserFilter, req page.Request) (page.Page[User], error)
	GetUser(ctx context.Context, sc Scope, id string) (User, error)
	CreateUser(ctx context.Context, sc Scope, in UserInput) (User, error)
	UpdateUser(ctx context.Context, sc Scope, id string, in UserInput) (User, error)
	DeleteUser(ctx context.Context, sc Scope, id string) error
	CreateUserWithHash(ctx context.Context, sc Scope, in UserInput, hash string) (User, error)
	SetPassword(ctx context.Context, sc Scope, id, password string) error
	ListTokens(ctx context.Context, sc Scope) ([]APIToken, error)
	CreateToken(ctx context.Context, sc Scope, name string, expires time.Time) (APIToken, error)
	DeleteToken(ctx context.Context, sc Scope, id string) error
	ListAudit(ctx context.Context, sc Scope, f audit.Filter, req page.Request) (page.Page[audit.Entry], error)
}

// Accounts is the identity context's service (§1): users, sign-in and the audit trail. It is
// not called Service, which is the name of a role.
type Accounts struct{ Store }

// NewAccounts builds the identity service.
func NewAccounts(st Store) *Accounts { return &Accounts{Store: st} }
