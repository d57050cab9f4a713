package identity

import (
	"strings"
	"testing"
)

// The whole roles × actions table, printed and compared with SPEC §1 as written here: a change
// to who may do what must change this table too.
func TestPolicyTable(t *testing.T) {
	want := `action            admin authority park_manager leasing service finance ent_admin ent_member
edit_space        x     .         x            .       .       .       .         .
edit_units        x     .         x            x       .       .       .         .
edit_enterprises  x     .         x            x       x       .       .         .
lease             x     .         x            x       .       .       .         .
work_leads        x     .         x            x       .       .       .         .
open_periods      x     x         x            .       .       .       .         .
review_reports    x     x         x            .       x       .       .         .
onboard           x     .         x            .       .       .       .         .
manage_users      x     .         .            .       .       .       x         .
delete_parks      x     .         .            .       .       .       .         .
steer_parks       x     x         .            .       .       .       .         .
manage_facilities x     .         x            .       x       .       .         .
handle_services   x     .         x            .       x       .       .         .
bill              x     .         x            .       .       x       .         .
manage_policies   x     x         x            .       .       .       .         .        
`
	var b strings.Builder
	b.WriteString(pad("action", 18))
	for i, r := range Roles {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(r))
	}
	b.WriteByte('\n')
	for _, a := range Actions {
		b.WriteString(pad(string(a), 18))
		for i, r := range Roles {
			if i > 0 {
				b.WriteByte(' ')
			}
			mark := "."
			if Allows(r, a) {
				mark = "x"
			}
			b.WriteString(pad(mark, len(r)))
		}
		b.WriteString("\n")
	}
	got := strings.ReplaceAll(b.String(), " \n", "\n")
	t.Log("\n" + got)
	if normalise(got) != normalise(want) {
		t.Fatalf("policy table changed:\n%s\nwant:\n%s", got, want)
	}
	for _, a := range Actions {
		if len(policy[a]) == 0 {
			t.Errorf("action %s is allowed to nobody", a)
		}
	}
	if len(policy) != len(Actions) {
		t.Errorf("%d actions in the policy, %d listed", len(policy), len(Actions))
	}
	// Tenants never act on the park's books; the authority reads but does not lease.
	for _, a := range []Action{EditSpace, EditUnits, Lease, WorkLeads, Onboard} {
		if (Scope{Role: EntAdmin}).May(a) || (Scope{Role: Authority}).May(a) {
			t.Errorf("%s allowed to a tenant or the authority", a)
		}
	}
}

// pad left-aligns s in a column n characters wide.
func pad(s string, n int) string { return s + strings.Repeat(" ", max(0, n-len(s))) }

func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }
