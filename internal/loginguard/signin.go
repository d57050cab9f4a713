package loginguard

import (
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
	attempt, wait, ok := guard.Reserve(username, guard.ClientAddr(r))
	if !ok {
		guard.refuse("rate_limited")
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return identity.User{}, apperr.New(apperr.RateLimited, "登录失败次数过多，请一分钟后再试",
			"too many failed sign-ins; try again in a minute")
	}
	var u identity.User
	var err error
	if !guard.Hash(func() { u, err = check() }) {
		attempt.Abandoned()
		guard.refuse("busy")
		w.Header().Set("Retry-After", "1")
		return identity.User{}, apperr.New(apperr.Unavailable, "登录请求过多，请稍后再试", "too many sign-ins at once; try again shortly")
	}
	switch {
	case err == nil:
		attempt.Succeeded()
	case apperr.Is(err, apperr.Unauthenticated):
		guard.refuse("bad_credentials")
	default:
		attempt.Abandoned()
	}
	return u, err
}
