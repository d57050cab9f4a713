// Package billpdf writes a park's money documents as PDF: the 缴费通知单 (payment notice) of a
// bill and an enterprise's statement of account. Chinese text needs a TrueType font with CJK
// glyphs; the server uses the one PARKOS_PDF_FONT names, else Debian's fonts-droid-fallback.
package billpdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/go-pdf/fpdf"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/billing"
	"github.com/parkos/parkos/internal/measure"
)

// fontPaths are where a CJK TrueType font is looked for, in order.
var fontPaths = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttf",
}

// font is the CJK font file to embed.
func font() (string, error) {
	if p := os.Getenv("PARKOS_PDF_FONT"); p != "" {
		return p, nil
	}
	for _, p := range fontPaths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", apperr.New(apperr.Unavailable, "服务器未安装中文字体，无法生成 PDF（安装 fonts-droid-fallback 或设置 PARKOS_PDF_FONT）",
		"no Chinese font on the server for PDF (install fonts-droid-fallback or set PARKOS_PDF_FONT)")
}

func newDoc() (*fpdf.Fpdf, error) {
	path, err := font()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the PDF font: %w", err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("cjk", "", data)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("the PDF font %s: %w", path, err)
	}
	pdf.SetFont("cjk", "", 10)
	pdf.AddPage()
	return pdf, nil
}

func finish(pdf *fpdf.Fpdf) ([]byte, error) {
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, err
	}
	if b.Len() == 0 {
		return nil, errors.New("empty PDF")
	}
	return b.Bytes(), nil
}

// yuan writes an amount with its two decimals, as a bill prints it.
func yuan(m measure.Money) string {
	sign, v := "", int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

func row(pdf *fpdf.Fpdf, widths []float64, cells []string, aligns string) {
	for i, c := range cells {
		pdf.CellFormat(widths[i], 7, c, "1", 0, string(aligns[i]), false, 0, "")
	}
	pdf.Ln(-1)
}

// Notice is a bill's 缴费通知单: the park, the enterprise and its invoicing details, every line
// with its period, net, tax and gross, the total, what is paid and what is due by when.
func Notice(b billing.Bill, d *billing.InvoiceDetails) ([]byte, error) {
	pdf, err := newDoc()
	if err != nil {
		return nil, err
	}
	pdf.SetFont("cjk", "", 16)
	pdf.CellFormat(0, 10, b.ParkName+" 缴费通知单", "", 1, "C", false, 0, "")
	pdf.SetFont("cjk", "", 10)
	pdf.CellFormat(0, 6, fmt.Sprintf("账单号：%s    出账日：%s    应付日：%s", b.Number, b.BillingDate, b.DueOn), "", 1, "L", false, 0, "")
	pdf.CellFormat(0, 6, "付款单位："+b.EnterpriseName, "", 1, "L", false, 0, "")
	if d != nil {
		pdf.CellFormat(0, 6, fmt.Sprintf("开票信息：%s  纳税人识别号 %s  %s  %s", d.Name, d.TaxID, d.AddressPhone, d.BankAccount), "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)
	widths := []float64{70, 40, 25, 25, 30}
	row(pdf, widths, []string{"费用", "期间", "不含税（元）", "税额（元）", "含税金额（元）"}, "LCRRR")
	for _, l := range b.Lines {
		row(pdf, widths, []string{billing.ChargeName(l.ChargeType), l.From.String() + "–" + l.To.String(), yuan(l.Net), yuan(l.Tax), yuan(l.Gross)}, "LCRRR")
	}
	row(pdf, widths, []string{"合计", "", yuan(b.Net), yuan(b.Tax), yuan(b.Gross)}, "LCRRR")
	pdf.Ln(4)
	pdf.CellFormat(0, 7, fmt.Sprintf("已付：%s 元    应付余额：%s 元，请于 %s 前缴纳。", yuan(b.Paid), yuan(b.Outstanding), b.DueOn), "", 1, "L", false, 0, "")
	pdf.CellFormat(0, 7, "汇款时请在附言中注明账单号，以便核对入账。", "", 1, "L", false, 0, "")
	return finish(pdf)
}

// StatementPDF is an enterprise's statement of account.
func StatementPDF(s billing.Statement, parkName string) ([]byte, error) {
	pdf, err := newDoc()
	if err != nil {
		return nil, err
	}
	pdf.SetFont("cjk", "", 16)
	pdf.CellFormat(0, 10, parkName+" 对账单", "", 1, "C", false, 0, "")
	pdf.SetFont("cjk", "", 10)
	pdf.CellFormat(0, 6, fmt.Sprintf("单位：%s    截至：%s", s.EnterpriseName, s.On), "", 1, "L", false, 0, "")
	pdf.Ln(2)
	widths := []float64{25, 20, 65, 25, 25, 30}
	row(pdf, widths, []string{"日期", "类别", "单号 / 说明", "应收（元）", "已收（元）", "余额（元）"}, "LCLRRR")
	kinds := map[string]string{"bill": "账单", "payment": "收款", "write_off": "核销"}
	for _, e := range s.Entries {
		row(pdf, widths, []string{e.Date.String(), kinds[e.Kind], e.Reference, yuan(e.Debit), yuan(e.Credit), yuan(e.Balance)}, "LCLRRR")
	}
	pdf.Ln(4)
	pdf.CellFormat(0, 7, fmt.Sprintf("期末应付余额：%s 元（负数为预存款）", yuan(s.Balance)), "", 1, "L", false, 0, "")
	return finish(pdf)
}
