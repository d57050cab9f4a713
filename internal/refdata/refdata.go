// Package refdata is the reference data shipped with ParkOS (§6): the GB/T 4754-2017 classes
// parks use and the industry-chain templates. The data lives in data/ as plain files so that
// domain experts can review and extend it without reading Go.
package refdata

import (
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
)

//go:embed data
var files embed.FS

// IndustryClass is one entry of GB/T 4754-2017: a section, division, group or class.
type IndustryClass struct {
	Code   string `json:"code"`
	Level  string `json:"level"` // section | division | group | class
	Parent string `json:"parent"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
}

// Chain is an industry-chain template (产业链图谱): chain → segment → node.
type Chain struct {
	ID       string    `json:"id"`
	ParkID   string    `json:"park_id"` // empty for built-in templates
	NameZh   string    `json:"name_zh"`
	NameEn   string    `json:"name_en"`
	Segments []Segment `json:"segments"`
}

// Segment is 上游 / 中游 / 下游.
type Segment struct {
	Stage string      `json:"stage"` // upstream | midstream | downstream
	Nodes []ChainNode `json:"nodes"`
}

// ChainNode is one link of a chain that enterprises and parks are mapped to.
type ChainNode struct {
	ID           string `json:"id"`
	ChainID      string `json:"chain_id"`
	Stage        string `json:"stage"`
	NameZh       string `json:"name_zh"`
	NameEn       string `json:"name_en"`
	IndustryCode string `json:"industry_code"`
}

// IndustryClasses reads the shipped GB/T 4754-2017 table.
func IndustryClasses() ([]IndustryClass, error) {
	f, err := files.Open("data/gbt4754_2017.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("gbt4754_2017.csv: %w", err)
	}
	out := make([]IndustryClass, 0, len(rows))
	for _, r := range rows[1:] {
		out = append(out, IndustryClass{Code: r[0], Level: r[1], Parent: r[2], NameZh: r[3], NameEn: r[4]})
	}
	return out, nil
}

// Chains reads the shipped chain templates, with each node's chain and stage filled in.
func Chains() ([]Chain, error) {
	b, err := files.ReadFile("data/chains.json")
	if err != nil {
		return nil, err
	}
	var chains []Chain
	if err := json.Unmarshal(b, &chains); err != nil {
		return nil, fmt.Errorf("chains.json: %w", err)
	}
	for ci := range chains {
		for si := range chains[ci].Segments {
			seg := &chains[ci].Segments[si]
			for ni := range seg.Nodes {
				seg.Nodes[ni].ChainID = chains[ci].ID
				seg.Nodes[ni].Stage = seg.Stage
			}
		}
	}
	return chains, nil
}
