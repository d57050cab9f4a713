package identity

import (
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/apperr"
)

// Locales the UI speaks.
var Locales = []string{"zh-CN", "en"}

// UserFilter for user lists.
type UserFilter struct {
	Q        string
	Username string // exact, case-insensitive
	Role     Role
	ParkID   string
}

// Validate checks a user's fields; creating also needs a password.
func (in *UserInput) Validate(creating bool) error {
	var f apperr.Fields
	in.Username = strings.TrimSpace(in.Username)
	if n := len(in.Username); n < 3 || n > 50 {
		f.Add("username", "length", "用户名须为 3 到 50 个字符", "username must have 3 to 50 characters")
	}
	for _, r := range in.Username {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == '@') {
			f.Add("username", "charset", "用户名只能包含字母、数字和 . _ - @", "username may only contain letters, digits and . _ - @")
			break
		}
	}
	if len([]rune(in.DisplayName)) > 50 {
		f.Add("display_name", "too_long", "姓名不能超过 50 个字符", "display_name must be at most 50 characters")
	}
	if in.Email != "" && (!strings.Contains(in.Email, "@") || len(in.Email) > 200) {
		f.Add("email", "format", "邮箱格式不正确", "email is not a valid address")
	}
	if !in.Role.Valid() {
		f.Add("role", "unknown_value", "角色无效", "role must be one of admin, authority, park_manager, leasing, service, finance, ent_admin, ent_member")
	}
	if in.Role.IsOperator() && len(in.ParkIDs) == 0 {
		f.Add("park_ids", "required", "园区运营角色须分配至少一个园区", "operator roles need at least one park")
	}
	if !in.Role.IsOperator() && len(in.ParkIDs) > 0 {
		f.Add("park_ids", "not_allowed", "只有园区运营角色可以分配园区", "only operator roles are assigned to parks")
	}
	if in.Role.IsEnterprise() && in.EnterpriseID == "" {
		f.Add("enterprise_id", "required", "企业角色须指定所属企业", "enterprise roles need an enterprise")
	}
	if !in.Role.IsEnterprise() && in.EnterpriseID != "" {
		f.Add("enterprise_id", "not_allowed", "只有企业角色可以指定所属企业", "only enterprise roles belong to an enterprise")
	}
	if in.Locale == "" {
		in.Locale = "zh-CN"
	}
	if !slices.Contains(Locales, in.Locale) {
		f.Add("locale", "unknown_value", "语言须为 zh-CN 或 en", "locale must be zh-CN or en")
	}
	if creating {
		if err := ValidatePassword(in.Password); err != nil {
			f.Add("password", "too_short", "密码至少 8 个字符", "password must have at least 8 characters")
		}
	}
	if in.ParkIDs == nil {
		in.ParkIDs = []string{}
	}
	return f.Err()
}

// APIToken is a named bearer token a user made for programs. The secret is shown once.
type APIToken struct {
	ID         string `json:"id"`
	UserID     string `json:"user_id"`
	Name       string `json:"name"`
	Token      string `json:"token,omitempty"` // only in the answer that created it
	CreatedAt  string `json:"created_at"`
	ExpiresAt  string `json:"expires_at,omitempty"`   // absent: the token does not expire
	LastUsedAt string `json:"last_used_at,omitempty"` // absent: never used
}

// SameAccess reports whether next leaves what an account may reach as it is: username, role,
// enterprise, parks and the disabled flag.
func (in UserInput) SameAccess(next UserInput) bool {
	norm := func(ids []string) []string {
		out := slices.Clone(ids)
		slices.Sort(out)
		return slices.Compact(out)
	}
	return next.Role == in.Role && next.EnterpriseID == in.EnterpriseID && next.Disabled == in.Disabled &&
		next.Username == in.Username && slices.Equal(norm(next.ParkIDs), norm(in.ParkIDs))
}
