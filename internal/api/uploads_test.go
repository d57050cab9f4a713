package api

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/parkos/parkos/internal/identity"
	"github.com/parkos/parkos/internal/store/storetest"
)

// TestHostileUploadsAreRefusedAndWriteNothing: a shared-strings bomb is refused before it is
// parsed (413) and a GBK CSV with bytes GBK does not map is refused at its row and column
// (422, in Chinese and English), on both upload routes, and neither writes anything.
func TestHostileUploadsAreRefusedAndWriteNothing(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	var period struct{ ID string }
	e.do(identity.Admin, "POST", "/api/v1/periods", newOwn(t, e).bodies["POST /api/v1/periods"], 201, &period)
	before := e.latestAudit(t)
	bomb, err := os.ReadFile("../sheet/testdata/shared-strings-bomb.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	header, _ := simplifiedchinese.GBK.NewEncoder().String("单元编码,楼栋编码,楼层,类型,建筑面积\n")
	row, _ := simplifiedchinese.GBK.NewEncoder().String("A-9-901,A,9,")
	badGBK := header + row + "\xff\xfe,120\n"
	for _, path := range []string{"/api/v1/onboarding/imports", "/api/v1/periods/" + period.ID + "/imports"} {
		code, body := e.raw(identity.Admin, "POST", path, string(bomb))
		if code != 413 || !strings.Contains(body, "工作簿的文本超过 1000000 条上限") {
			t.Errorf("%s with a shared-strings bomb: %d %s", path, code, body)
		}
		code, body = e.raw(identity.Admin, "POST", path, badGBK)
		if code != 422 || !strings.Contains(body, `"field":"CSV!D2"`) || !strings.Contains(body, `"code":"bad_encoding"`) ||
			!strings.Contains(body, "UTF-8") {
			t.Errorf("%s with bad GBK bytes: %d %s", path, code, body)
		}
	}
	if after := e.latestAudit(t); after != before {
		t.Errorf("a refused upload wrote audit entry %s", after)
	}
}
