package refdata

import "testing"

// The tables are hand-written, so check what a typo would break: every parent exists, every
// chain node's industry code is a shipped class, ids are unique.
func TestReferenceDataIsConsistent(t *testing.T) {
	classes, err := IndustryClasses()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]IndustryClass{}
	for _, c := range classes {
		if _, dup := byCode[c.Code]; dup {
			t.Errorf("duplicate class %s", c.Code)
		}
		byCode[c.Code] = c
	}
	wantLen := map[string]int{"section": 1, "division": 2, "group": 3, "class": 4}
	for _, c := range classes {
		if len(c.Code) != wantLen[c.Level] {
			t.Errorf("class %s: level %q does not match code length", c.Code, c.Level)
		}
		if c.Parent != "" {
			if _, ok := byCode[c.Parent]; !ok {
				t.Errorf("class %s: parent %s missing", c.Code, c.Parent)
			}
		}
	}
	for _, must := range []string{"27", "35", "358", "3544", "65", "73", "75", "51", "52"} {
		if _, ok := byCode[must]; !ok {
			t.Errorf("SPEC §6 requires class %s", must)
		}
	}
	chains, err := Chains()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	nodes := map[string]bool{}
	for _, ch := range chains {
		names[ch.NameZh] = true
		if len(ch.Segments) != 3 {
			t.Errorf("chain %s: want upstream, midstream, downstream", ch.ID)
		}
		for _, s := range ch.Segments {
			for _, n := range s.Nodes {
				if nodes[n.ID] {
					t.Errorf("duplicate node %s", n.ID)
				}
				nodes[n.ID] = true
				if n.IndustryCode != "" && byCode[n.IndustryCode].Level != "class" {
					t.Errorf("node %s: industry code %q is not a shipped class", n.ID, n.IndustryCode)
				}
			}
		}
	}
	for _, must := range []string{"生物医药", "医疗器械", "细胞与基因治疗"} {
		if !names[must] {
			t.Errorf("chain template %s missing", must)
		}
	}
}
