package identity

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/audit"
	"github.com/parkos/parkos/internal/page"
)

// Store is what the identity context needs: users, sign-in, sessions and tokens, and the audit
// trail of who did what.
type Store interface {
	Authenticate(ctx context.Context, username, password string) (User, error)
	UserByToken(ctx context.Context, token string, idle time.Duration) (User, error)
	CheckOwnPassword(ctx context.Context, sc Scope, password string) error
	ListUsers(ctx context.Context, sc Scope, f UserFilter, req page.Request) (page.Page[User], error)
	GetUser(ctx context.Context, sc Scope, id string) (User, error)
	ListTokens(ctx context.Context, sc Scope) ([]APIToken, error)
	ListAudit(ctx context.Context, sc Scope, f audit.Filter, req page.Request) (page.Page[audit.Entry], error)
}

// AccountStore holds the primitives account changes are composed of; every one but InTx runs
// in the transaction InTx opened.
type AccountStore interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Record(ctx context.Context, sc Scope, action, entity, id string, before, after any) error
	// InsertUser writes an account with a hashed password; its parks and enterprise must exist.
	InsertUser(ctx context.Context, in UserInput, hash string) (User, error)
	LockUser(ctx context.Context, sc Scope, id string) (User, error)
	// SaveUser writes a changed account; with endSessions every session of it ends.
	SaveUser(ctx context.Context, id string, in UserInput, endSessions bool) (User, error)
	DeleteUserRow(ctx context.Context, id string) error
	// SavePasswordHash sets a password and ends every session of the account.
	SavePasswordHash(ctx context.Context, id, hash string) error
	InsertSession(ctx context.Context, u User, ttl time.Duration) (string, error)
	// DeleteSession ends a session and says whose it was (ok false: no such session).
	DeleteSession(ctx context.Context, token string) (User, bool, error)
	InsertToken(ctx context.Context, sc Scope, name string, expires time.Time) (APIToken, error)
	// DeleteOwnToken removes one of the caller's tokens; another's is not found.
	DeleteOwnToken(ctx context.Context, sc Scope, id string) error
}

// Accounts is the identity context's service (§1): who may create and change which accounts,
// sign-in and the audit trail. It is not called Service, which is the name of a role.
type Accounts struct {
	Store
	w   AccountStore
	now func() time.Time
}

// NewAccounts builds the identity service; now is the clock's.
func NewAccounts(st interface {
	Store
	AccountStore
}, now func() time.Time) *Accounts {
	return &Accounts{Store: st, w: st, now: now}
}

// CreateUser adds an account with an initial password. An enterprise's administrator creates
// accounts of its own enterprise.
func (a *Accounts) CreateUser(ctx context.Context, sc Scope, in UserInput) (User, error) {
	if sc.Role == EntAdmin && in.EnterpriseID == "" {
		in.EnterpriseID = sc.EnterpriseID
	}
	if !sc.MayManage(in) {
		return User{}, apperr.ErrForbidden()
	}
	if err := in.Validate(true); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	return a.insert(ctx, sc, in, hash)
}

// CreateUserWithHash adds an account whose password is already hashed (the demo loader reuses
// one hash); only the system does.
func (a *Accounts) CreateUserWithHash(ctx context.Context, sc Scope, in UserInput, hash string) (User, error) {
	if sc.Role != Admin || sc.UserID != "" {
		return User{}, apperr.ErrForbidden()
	}
	if err := in.Validate(false); err != nil {
		return User{}, err
	}
	return a.insert(ctx, sc, in, hash)
}

func (a *Accounts) insert(ctx context.Context, sc Scope, in UserInput, hash string) (User, error) {
	var out User
	err := a.w.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = a.w.InsertUser(ctx, in, hash); err != nil {
			return err
		}
		return a.w.Record(ctx, sc, "create", "user", out.ID, nil, out)
	})
	return out, err
}

// UpdateUser saves an account. People may change their own name, e-mail and language; role,
// assignments and the disabled flag are for those who manage the account, and nobody disables
// themselves or changes their own role.
func (a *Accounts) UpdateUser(ctx context.Context, sc Scope, id string, in UserInput) (User, error) {
	var out User
	err := a.w.InTx(ctx, func(ctx context.Context) error {
		old, err := a.w.LockUser(ctx, sc, id)
		if err != nil {
			return err
		}
		if err := in.Validate(false); err != nil {
			return err
		}
		self := old.ID == sc.UserID
		managed := sc.MayManage(old.Input()) && sc.MayManage(in)
		if !managed && !(self && old.Input().SameAccess(in)) {
			return apperr.ErrForbidden()
		}
		if self && (in.Disabled || in.Role != old.Role) {
			var f apperr.Fields
			f.Add("role", "self", "不能停用自己或修改自己的角色", "you cannot disable yourself or change your own role")
			return f.Err()
		}
		if out, err = a.w.SaveUser(ctx, id, in, in.Disabled || in.Role != old.Role); err != nil {
			return err
		}
		return a.w.Record(ctx, sc, "update", "user", id, old, out)
	})
	return out, err
}

// DeleteUser removes an account with its sessions and tokens. Nobody deletes themselves.
func (a *Accounts) DeleteUser(ctx context.Context, sc Scope, id string) error {
	return a.w.InTx(ctx, func(ctx context.Context) error {
		u, err := a.w.LockUser(ctx, sc, id)
		if err != nil {
			return err
		}
		if u.ID == sc.UserID {
			return apperr.New(apperr.Conflict, "不能删除自己的账号", "you cannot delete your own account")
		}
		if !sc.MayManage(u.Input()) {
			return apperr.ErrForbidden()
		}
		if err := a.w.DeleteUserRow(ctx, id); err != nil {
			return err
		}
		return a.w.Record(ctx, sc, "delete", "user", id, u, nil)
	})
}

// SetPassword changes a password: one's own (the current password checked by the caller) or,
// for those who manage the account, anyone's. Every session of the account ends.
func (a *Accounts) SetPassword(ctx context.Context, sc Scope, id, password string) error {
	if err := ValidatePassword(password); err != nil {
		var f apperr.Fields
		f.Add("new_password", "too_short", "密码至少 8 个字符", "password must have at least 8 characters")
		return f.Err()
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return a.w.InTx(ctx, func(ctx context.Context) error {
		u, err := a.w.LockUser(ctx, sc, id)
		if err != nil {
			return err
		}
		if u.ID != sc.UserID && !sc.MayManage(u.Input()) {
			return apperr.ErrForbidden()
		}
		if err := a.w.SavePasswordHash(ctx, id, hash); err != nil {
			return err
		}
		return a.w.Record(ctx, sc, "set_password", "user", id, nil, u)
	})
}

// CreateSession signs u in through source (api or ui) for ttl and returns the session's token.
func (a *Accounts) CreateSession(ctx context.Context, u User, source string, ttl time.Duration) (string, error) {
	var token string
	err := a.w.InTx(ctx, func(ctx context.Context) error {
		var err error
		if token, err = a.w.InsertSession(ctx, u, ttl); err != nil {
			return err
		}
		return a.w.Record(ctx, ScopeOf(u).Via(source), "login", "session", u.ID, nil, nil)
	})
	return token, err
}

// EndSession signs the session of token out; an unknown token changes nothing.
func (a *Accounts) EndSession(ctx context.Context, token, source string) error {
	return a.w.InTx(ctx, func(ctx context.Context) error {
		u, ok, err := a.w.DeleteSession(ctx, token)
		if err != nil || !ok {
			return err
		}
		return a.w.Record(ctx, ScopeOf(u).Via(source), "logout", "session", u.ID, nil, nil)
	})
}

// CreateToken issues the caller an API token named name, valid until expires (or until
// deleted when zero); its secret is shown once.
func (a *Accounts) CreateToken(ctx context.Context, sc Scope, name string, expires time.Time) (APIToken, error) {
	var f apperr.Fields
	if name == "" || utf8.RuneCountInString(name) > 100 {
		f.Add("name", "required", "请填写 1 到 100 个字符的令牌名称", "name must have 1 to 100 characters")
	}
	if !expires.IsZero() && !expires.After(a.now()) {
		f.Add("expires_at", "in_past", "过期时间须晚于现在", "expires_at must be in the future")
	}
	if err := f.Err(); err != nil {
		return APIToken{}, err
	}
	var out APIToken
	err := a.w.InTx(ctx, func(ctx context.Context) error {
		var err error
		if out, err = a.w.InsertToken(ctx, sc, name, expires); err != nil {
			return err
		}
		return a.w.Record(ctx, sc, "create", "api_token", out.ID, nil, map[string]string{"name": name, "expires_at": out.ExpiresAt})
	})
	return out, err
}

// DeleteToken revokes one of the caller's tokens.
func (a *Accounts) DeleteToken(ctx context.Context, sc Scope, id string) error {
	return a.w.InTx(ctx, func(ctx context.Context) error {
		if err := a.w.DeleteOwnToken(ctx, sc, id); err != nil {
			return err
		}
		return a.w.Record(ctx, sc, "delete", "api_token", id, nil, nil)
	})
}
