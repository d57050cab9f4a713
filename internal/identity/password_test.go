package identity

import (
	"encoding/base64"
	"strings"
	"testing"
)

// The hash checked for names without an account must cost what a real account's check costs:
// the same algorithm, parameters and key length as HashPassword writes today.
func TestUnknownUserHashHasTodaysParameters(t *testing.T) {
	real, err := HashPassword("a password")
	if err != nil {
		t.Fatal(err)
	}
	want, got := strings.Split(real, "$"), strings.Split(unknownUserHash, "$")
	if len(got) != len(want) {
		t.Fatalf("unknownUserHash has %d parts, HashPassword writes %d", len(got), len(want))
	}
	if strings.Join(got[:4], "$") != strings.Join(want[:4], "$") {
		t.Errorf("unknownUserHash is %q, HashPassword writes %q: make it again with HashPassword", strings.Join(got[:4], "$"),
			strings.Join(want[:4], "$"))
	}
	for i := 4; i < 6; i++ {
		g, err1 := base64.RawStdEncoding.DecodeString(got[i])
		w, err2 := base64.RawStdEncoding.DecodeString(want[i])
		if err1 != nil || err2 != nil || len(g) != len(w) {
			t.Errorf("part %d of unknownUserHash is %d bytes (%v), HashPassword writes %d", i, len(g), err1, len(w))
		}
	}
	if CheckPassword(unknownUserHash, "a password") || CheckPassword(unknownUserHash, "") {
		t.Error("unknownUserHash matched a password")
	}
}
