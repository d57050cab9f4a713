package indicator

import (
	"slices"
	"strings"

	"github.com/parkos/parkos/internal/stats"
)

// Block is a park-year's enterprise-years that agree on whether they are complete, whether they
// are in a leading industry and which measures they give, summed. Every value of a park or a
// group (rules 2–7) needs only these sums, so the store keeps a park-year's few blocks instead
// of having every report read again; a block of one enterprise names it (like-for-like growth
// matches enterprises across years).
type Block struct {
	Complete    bool
	Leading     bool
	Enterprises int
	// Sums are the block's totals of the measures every one of its enterprise-years gives
	// (fen or counts).
	Sums         stats.Figures
	EnterpriseID string
}

// BlocksOf sums enterprise-years into blocks: one per enterprise when only is set (the
// enterprises it holds), else as few as the years allow, in a stable order.
func BlocksOf(years []Year, only map[string]bool) []Block {
	if only != nil {
		var out []Block
		for _, y := range years {
			if only[y.EnterpriseID] {
				out = append(out, Block{Complete: y.Complete, Leading: y.Leading, Enterprises: 1, Sums: y.Figures, EnterpriseID: y.EnterpriseID})
			}
		}
		return out
	}
	at := map[string]int{}
	var out []Block
	for _, y := range years {
		key := blockKey(y)
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, Block{Complete: y.Complete, Leading: y.Leading, Sums: stats.Figures{}})
		}
		b := &out[i]
		b.Enterprises++
		for k, v := range y.Figures {
			b.Sums[k] += v
		}
	}
	slices.SortFunc(out, func(a, b Block) int {
		return strings.Compare(blockKeyOf(a.Complete, a.Leading, a.Sums), blockKeyOf(b.Complete, b.Leading, b.Sums))
	})
	return out
}

func blockKey(y Year) string { return blockKeyOf(y.Complete, y.Leading, y.Figures) }

// blockKeyOf spells which block an enterprise-year belongs to: its flags and the measures it gives.
func blockKeyOf(complete, leading bool, figures stats.Figures) string {
	var sb strings.Builder
	for _, flag := range []bool{complete, leading} {
		if flag {
			sb.WriteByte('1')
		} else {
			sb.WriteByte('0')
		}
	}
	for _, m := range stats.Measures {
		if _, ok := figures[m.Key]; ok {
			sb.WriteString("," + m.Key)
		}
	}
	for _, c := range Counts {
		if _, ok := figures[c.Key]; ok {
			sb.WriteString("," + c.Key)
		}
	}
	return sb.String()
}

// blocks are the park-year's blocks: those it was given, else its enterprise-years summed.
func (p ParkYear) blocks() []Block {
	if p.Blocks == nil {
		return BlocksOf(p.Years, nil)
	}
	return p.Blocks
}

// expected are the enterprise-years reported under the park, complete or not.
func (p ParkYear) expected() int {
	n := 0
	for _, b := range p.blocks() {
		n += b.Enterprises
	}
	return n
}

// allOf holds every enterprise of the years.
func allOf(years []Year) map[string]bool {
	out := make(map[string]bool, len(years))
	for _, y := range years {
		out[y.EnterpriseID] = true
	}
	return out
}
