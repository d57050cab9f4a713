package space

import (
	"slices"

	"github.com/parkos/parkos/internal/civil"
)

// Split is what splitting parent by req makes: the parts, each like the parent but for its
// code, areas and kind, existing from the effective day. Their ids and neighbours are given when
// they are written: each part neighbours its siblings and the parent's neighbours.
func Split(parent Unit, req SplitRequest) ([]Unit, error) {
	if err := CheckSplit(parent, req); err != nil {
		return nil, err
	}
	parts := make([]Unit, len(req.Parts))
	for i, p := range req.Parts {
		u := parent
		u.ID, u.Code, u.GrossArea, u.UsableArea, u.NeighbourIDs = "", p.Code, p.GrossArea, p.UsableArea, nil
		if p.Kind != "" {
			u.Kind = p.Kind
		}
		u.ValidFrom, u.ValidTo = req.EffectiveOn, civil.Date{}
		parts[i] = u
	}
	return parts, nil
}

// SplitNeighbours are part i's neighbours once the parts have ids.
func SplitNeighbours(parent Unit, parts []Unit, i int) []string {
	var out []string
	for j, p := range parts {
		if j != i {
			out = append(out, p.ID)
		}
	}
	return append(out, parent.NeighbourIDs...)
}

// Merge is the unit merging parents by req makes: the first parent's attributes, the sum of
// their areas (or the usable area given), the effective day, and the parents' outer neighbours.
func Merge(parents []Unit, req MergeRequest) (Unit, error) {
	if err := CheckMerge(parents, req); err != nil {
		return Unit{}, err
	}
	merged := parents[0]
	merged.ID, merged.Code, merged.GrossArea, merged.UsableArea = "", req.Code, 0, 0
	if req.Kind != "" {
		merged.Kind = req.Kind
	}
	ids := make([]string, len(parents))
	for i, p := range parents {
		merged.GrossArea += p.GrossArea
		merged.UsableArea += p.UsableArea
		ids[i] = p.ID
	}
	if req.UsableArea > 0 {
		merged.UsableArea = req.UsableArea
	}
	var outer []string
	for _, p := range parents {
		for _, n := range p.NeighbourIDs {
			if !slices.Contains(ids, n) && !slices.Contains(outer, n) {
				outer = append(outer, n)
			}
		}
	}
	merged.NeighbourIDs, merged.ValidFrom, merged.ValidTo = outer, req.EffectiveOn, civil.Date{}
	return merged, nil
}
