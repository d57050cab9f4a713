package loginguard

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/identity"
)

// SignIn checks a password with check unless the account or address has failed too often, in
// which case it answers 429 without looking at the password. The attempt is counted before the
// hash is computed, and at most a few hashes run at once; beyond that the answer is a quick
// 503 with Retry-After, so a burst of sign-ins cannot exhaust memory.
func (guard *Guard) SignIn(w http.ResponseWriter, r *http.Request, username string,
	check func() (identity.User, error)) (identity.User, error) {
	ctx := r.Context()
	attempt, wait, ok, err := guard.Reserve(ctx, username, guard.ClientAddr(r))
	if err != nil {
		return identity.User{}, err
	}
	if !ok {
		guard.refuse("rate_limited")
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return identity.User{}, apperr.New(apperr.RateLimited, "登录失败次数过多，请一分钟后再试",
			"too many failed sign-ins; try again in a minute")
	}
	var u identity.User
	if !guard.Hash(func() { u, err = check() }) {
		guard.refuse("busy")
		if err := attempt.Abandoned(ctx); err != nil {
			return identity.User{}, err
		}
		w.Header().Set("Retry-After", "1")
		return identity.User{}, apperr.New(apperr.Unavailable, "登录请求过多，请稍后再试", "too many sign-ins at once; try again shortly")
	}
	switch {
	case err == nil:
		err = attempt.Succeeded(ctx)
	case apperr.Is(err, apperr.Unauthenticated):
		guard.refuse("bad_credentials")
	default:
		err = errors.Join(err, attempt.Abandoned(ctx))
	}
	return u, err
}
