package leasing

import (
	"strings"
	"testing"

	"github.com/parkos/parkos/internal/civil"
)

// The basis of an escalated line shows the price the amount was computed from, exactly: a
// rounded price in the basis disagreed with the amount by up to several fen.
func TestEscalatedBasisIsExact(t *testing.T) {
	k := Contract{StartOn: civil.Of(2024, 1, 1), EndOn: civil.Of(2026, 12, 31), Price: 45000, PaymentCycle: 12,
		DayCount: DayCount365, Escalation: Escalation{Kind: "percent", BasisPoints: 300, EveryMonths: 12, FromMonth: 13},
		Units: []ContractUnit{{UnitID: "u", Area: 10000, From: civil.Of(2024, 1, 1), To: civil.Of(2026, 12, 31)}}}
	var bases []string
	for _, l := range k.Schedule().Lines {
		if l.Type == ChargeRent {
			bases = append(bases, l.Basis)
		}
	}
	want := []string{"4.5000 元/㎡/天 × 100 ㎡", "4.6350 元/㎡/天 × 100 ㎡", "4.77405 元/㎡/天 × 100 ㎡"}
	if strings.Join(bases, "|") != strings.Join(want, "|") {
		t.Errorf("bases %q, want %q", bases, want)
	}
}
