package api

import (
	"fmt"
	"strings"
)

// pageParams documents the pagination parameters every list takes.
var pageParams = []param{
	{"limit", "integer", "每页条数 1–500，0 或不填为 50 / page size 1–500; 0 or absent: 50"},
	{"cursor", "string", "上一页返回的 next_cursor / next_cursor of the previous page"},
	{"sort", "string", "排序字段，前加 - 为降序 / sort key, prefix - for descending"},
}

// describeSorts documents a list's sort keys (TestListQueriesUseIndexes reads them back).
func describeSorts(keys ...string) param {
	return param{"sort", "string", fmt.Sprintf("排序 / sort: %s（前加 - 为降序 / prefix - for descending）", strings.Join(keys, ", "))}
}
