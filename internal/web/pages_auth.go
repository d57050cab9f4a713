package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/httpx"
	"github.com/parkos/parkos/internal/i18n"
	"github.com/parkos/parkos/internal/identity"
)

type loginView struct {
	Next, Username, Error, Notice string
}

func (s *Server) loginPage(rq *request) error {
	q := rq.r.URL.Query()
	if lang := q.Get("lang"); lang != "" {
		rq.lang = i18n.Normalize(lang)
		setLangCookie(rq.w, rq.r, rq.lang)
	}
	v := loginView{Next: safeNext(q.Get("next"))}
	if q.Get("bye") != "" {
		v.Notice = rq.t("login.signed_out")
	}
	s.render(rq, "login", rq.t("login.title"), v)
	return nil
}

// loginPost signs in through the same guard as the API: after 10 failures a minute for an
// account, the form answers 429 without checking the password.
func (s *Server) loginPost(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	username, password := strings.TrimSpace(first(vals, "username")), first(vals, "password")
	v := loginView{Next: safeNext(first(vals, "next")), Username: username}
	u, err := s.guard.SignIn(rq.w, rq.r, username, func() (identity.User, error) { return s.svc.Accounts.Authenticate(rq.ctx, username, password) })
	switch apperr.CodeOf(err) {
	case apperr.RateLimited:
		v.Error = rq.t("login.rate_limited")
		rq.w.WriteHeader(http.StatusTooManyRequests)
	case apperr.Unauthenticated:
		v.Error = rq.t("login.failed")
		rq.w.WriteHeader(http.StatusUnauthorized)
	}
	if v.Error != "" {
		s.render(rq, "login", rq.t("login.title"), v)
		return nil
	}
	if err != nil {
		return err
	}
	// A fresh session at every sign-in, and the old one ends: a session id planted before
	// sign-in is worth nothing after it.
	if c, err := rq.r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.svc.Accounts.EndSession(rq.ctx, c.Value, "ui"); err != nil {
			return err
		}
	}
	token, err := s.svc.Accounts.CreateSession(rq.ctx, u, "ui", SessionAbsolute)
	if err != nil {
		return err
	}
	s.setSessionCookie(rq.w, rq.r, token)
	return rq.redirect(v.Next)
}

func (s *Server) logout(rq *request) error {
	if err := s.svc.Accounts.EndSession(rq.ctx, rq.token, "ui"); err != nil {
		return err
	}
	clearSessionCookie(rq.w, rq.r)
	setLangCookie(rq.w, rq.r, rq.lang) // the sign-in page keeps speaking the user's language
	return rq.redirect("/login?bye=1")
}

// setLangCookie remembers a language for pages shown before signing in.
func setLangCookie(w http.ResponseWriter, r *http.Request, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: secure(r), HttpOnly: true})
}

// switchLanguage remembers the choice on the user's account.
func (s *Server) switchLanguage(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	in := rq.user.Input()
	in.Locale = i18n.Normalize(first(vals, "lang"))
	if _, err := s.svc.Accounts.UpdateUser(rq.ctx, rq.scope, rq.user.ID, in); err != nil {
		return err
	}
	back := rq.r.Referer()
	if i := strings.Index(back, "://"); i >= 0 {
		if j := strings.Index(back[i+3:], "/"); j >= 0 {
			back = back[i+3+j:]
		}
	}
	return rq.redirect(safeNext(back))
}

type accountView struct {
	Profile  formView
	Password formView
	Saved    string
}

func (s *Server) profileSpecs() []fieldSpec {
	return []fieldSpec{
		{Name: "display_name", Label: k("user.display_name"), Kind: "text"},
		{Name: "email", Label: k("user.email"), Kind: "text"},
	}
}

func passwordSpecs() []fieldSpec {
	return []fieldSpec{
		{Name: "current_password", Label: k("account.current_password"), Kind: "password", Required: true},
		{Name: "new_password", Label: k("account.new_password"), Kind: "password", Required: true, Help: k("help.password")},
		{Name: "confirm_password", Label: k("account.confirm_password"), Kind: "password", Required: true},
	}
}

func (s *Server) accountPage(rq *request) error {
	v := accountView{Profile: formView{Action: "/account", Fields: rq.fields(s.profileSpecs(), flatten(rq.user.Input()))},
		Password: formView{Action: "/account/password", Fields: rq.fields(passwordSpecs(), nil)}}
	if rq.r.URL.Query().Get("saved") != "" {
		v.Saved = rq.t("account.saved")
	}
	s.render(rq, "account", rq.t("account.title"), v)
	return nil
}

func (s *Server) accountPost(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	in := rq.user.Input()
	in.DisplayName, in.Email = strings.TrimSpace(first(vals, "display_name")), strings.TrimSpace(first(vals, "email"))
	if _, err := s.svc.Accounts.UpdateUser(rq.ctx, rq.scope, rq.user.ID, in); err != nil {
		if !formError(err) {
			return err
		}
		v := accountView{Profile: formView{Action: "/account", Fields: rq.fields(s.profileSpecs(), vals)},
			Password: formView{Action: "/account/password", Fields: rq.fields(passwordSpecs(), nil)}}
		v.Profile.Errors = rq.applyErrors(v.Profile.Fields, err)
		rq.w.WriteHeader(httpx.StatusOf(err))
		s.render(rq, "account", rq.t("account.title"), v)
		return nil
	}
	return rq.redirect("/account?saved=1")
}

// passwordPost changes the user's password. Every session ends with the change, so the
// current one is replaced by a fresh session.
func (s *Server) passwordPost(rq *request) error {
	vals, err := rq.formValues()
	if err != nil {
		return err
	}
	err = s.svc.Accounts.CheckOwnPassword(rq.ctx, rq.scope, first(vals, "current_password"))
	if err == nil && first(vals, "new_password") != first(vals, "confirm_password") {
		var f apperr.Fields
		f.Add("confirm_password", "mismatch", "两次输入的新密码不一致", "the new passwords do not match")
		err = f.Err()
	}
	if err == nil {
		err = s.svc.Accounts.SetPassword(rq.ctx, rq.scope, rq.user.ID, first(vals, "new_password"))
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		v := accountView{Profile: formView{Action: "/account", Fields: rq.fields(s.profileSpecs(), flatten(rq.user.Input()))},
			Password: formView{Action: "/account/password", Fields: rq.fields(passwordSpecs(), nil)}}
		v.Password.Errors = rq.applyErrors(v.Password.Fields, err)
		rq.w.WriteHeader(httpx.StatusOf(err))
		s.render(rq, "account", rq.t("account.title"), v)
		return nil
	}
	token, err := s.svc.Accounts.CreateSession(rq.ctx, rq.user, "ui", SessionAbsolute)
	if err != nil {
		return err
	}
	s.setSessionCookie(rq.w, rq.r, token)
	return rq.redirect("/account?saved=1")
}

type tokensView struct {
	Tokens   []identity.APIToken
	NewToken string
	Form     formView
}

func tokenSpecs() []fieldSpec {
	return []fieldSpec{
		{Name: "name", Label: k("token.name"), Kind: "text", Required: true},
		{Name: "expires_on", Label: k("token.expires_on"), Kind: "date", Help: k("help.token_expiry")},
	}
}

func (s *Server) tokensPage(rq *request) error {
	v := tokensView{Form: formView{Action: "/account/tokens", Fields: rq.fields(tokenSpecs(), nil)}}
	if rq.r.Method == http.MethodPost {
		vals, err := rq.formValues()
		if err != nil {
			return err
		}
		var expires time.Time
		if d := first(vals, "expires_on"); d != "" {
			day, perr := civil.Parse(d)
			if perr != nil {
				err = fieldError("expires_on", "bad_date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
			}
			expires = day.Time()
		}
		var t identity.APIToken
		if err == nil {
			t, err = s.svc.Accounts.CreateToken(rq.ctx, rq.scope, strings.TrimSpace(first(vals, "name")), expires)
		}
		if err != nil && !formError(err) {
			return err
		}
		if err != nil {
			v.Form.Fields = rq.fields(tokenSpecs(), vals)
			v.Form.Errors = rq.applyErrors(v.Form.Fields, err)
			rq.w.WriteHeader(httpx.StatusOf(err))
		} else {
			v.NewToken = t.Token
		}
	}
	var err error
	if v.Tokens, err = s.svc.Accounts.ListTokens(rq.ctx, rq.scope); err != nil {
		return err
	}
	s.render(rq, "tokens", rq.t("token.title"), v)
	return nil
}

func (s *Server) revokeToken(rq *request) error {
	if err := s.svc.Accounts.DeleteToken(rq.ctx, rq.scope, rq.r.PathValue("id")); err != nil {
		return err
	}
	return rq.redirect("/account/tokens")
}

func fieldError(field, code, zh, en string) error {
	var f apperr.Fields
	f.Add(field, code, zh, en)
	return f.Err()
}
