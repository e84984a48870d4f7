package openapi

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mockpay/mockpay/channel/alipay/kit"
	"github.com/mockpay/mockpay/payment"
)

// The bill file is what reconciliation code reads (§2.7): a zip named
// <pid>0156_<date>.csv.zip holding GBK CSV files with the platform's
// "#" header and footer lines. File names are GBK too, as zips made on
// Chinese Windows systems are (unconfirmed); text columns end in a tab,
// which keeps spreadsheets from turning ids into numbers (unconfirmed).

// billFileName is the zip's base name: the account id (pid + "0156") and
// the date without dashes.
func billFileName(app *payment.App, billDate string) string {
	return app.PID + "0156_" + strings.ReplaceAll(billDate, "-", "")
}

var tradeBillColumns = []string{"支付宝交易号", "商户订单号", "业务类型", "商品名称", "创建时间", "完成时间", "门店编号", "门店名称",
	"操作员", "终端号", "对方账户", "订单金额（元）", "商家实收（元）", "支付宝红包（元）", "集分宝（元）", "支付宝优惠（元）", "商家优惠（元）",
	"券核销金额（元）", "券名称", "商家红包消费金额（元）", "卡消费金额（元）", "退款批次号/请求号", "服务费（元）", "分润（元）", "备注"}

var tradeSummaryColumns = []string{"门店编号", "门店名称", "交易订单总笔数", "退款订单总笔数", "订单金额（元）", "商家实收（元）",
	"支付宝优惠（元）", "商家优惠（元）", "卡消费金额（元）", "服务费（元）", "分润（元）", "实收净额（元）"}

var accountBillColumns = []string{"账务流水号", "业务流水号", "商户订单号", "商品名称", "发生时间", "对方账号", "收入金额（+元）",
	"支出金额（-元）", "账户余额（元）", "交易渠道", "业务类型", "备注"}

const billRule = "-----------------------------------------"

// BillZip renders a bill of type trade (业务明细 and its summary) or
// signcustomer (账务明细) as the platform's zip.
func BillZip(b *payment.Bill, billType, billDate string, exportedAt time.Time) ([]byte, error) {
	base := billFileName(b.App, billDate)
	files := map[string]string{}
	if billType == "signcustomer" {
		files[base+"_账务明细.csv"] = accountCSV(b, exportedAt)
	} else {
		files[base+"_业务明细.csv"] = tradeCSV(b, exportedAt)
		files[base+"_业务明细(汇总).csv"] = summaryCSV(b, exportedAt)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{base + "_业务明细.csv", base + "_业务明细(汇总).csv", base + "_账务明细.csv"} {
		content, ok := files[name]
		if !ok {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: string(kit.Encode(name, kit.GBK)), NonUTF8: true, Method: zip.Deflate, Modified: exportedAt.In(payment.CST)})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(kit.Encode(content, kit.GBK)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// billHead is the comment block above the table.
func billHead(w *strings.Builder, title, table string, b *payment.Bill) {
	fmt.Fprintf(w, "#支付宝%s查询\n#账号：[%s0156]\n#起始日期：[%s]   终止日期：[%s]\n#%s%s%s\n",
		title, b.App.PID, chineseTime(b.From), chineseTime(b.To), billRule, table, billRule)
}

func chineseTime(t time.Time) string { return t.In(payment.CST).Format("2006年01月02日 15:04:05") }

// text ends a text column with the tab real bills carry.
func text(s string) string { return s + "\t" }

// writeRows writes CSV lines, quoting only a field that holds a comma, a
// quote or a line break: encoding/csv would also quote the empty text
// columns, which are a bare tab in real bills.
func writeRows(w *strings.Builder, header []string, rows [][]string) {
	for _, row := range append([][]string{header}, rows...) {
		for i, f := range row {
			if i > 0 {
				w.WriteByte(',')
			}
			if strings.ContainsAny(f, ",\"\r\n") {
				f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
			w.WriteString(f)
		}
		w.WriteByte('\n')
	}
}

func tradeCSV(b *payment.Bill, exportedAt time.Time) string {
	var w strings.Builder
	billHead(&w, "业务明细", "业务明细列表", b)
	var rows [][]string
	var paid, refunded payment.Amount
	zero := "0.00"
	for _, t := range b.Trades {
		paid += t.Total
		rows = append(rows, []string{text(t.TradeNo), text(t.OutTradeNo), text("交易"), text(t.Subject), kit.DateTime(t.CreatedAt), kit.DateTime(t.PaidAt),
			text(""), text(""), text(""), text(""), text(t.BuyerLogon), t.Total.Yuan(), t.Total.Yuan(), zero, zero, zero, zero, zero, text(""),
			zero, zero, text(""), zero, zero, text("")})
	}
	for _, r := range b.Refunds {
		t := b.RefundedTrades[r.TradeNo]
		refunded += r.Amount
		rows = append(rows, []string{text(r.TradeNo), text(r.OutTradeNo), text("退款"), text(t.Subject), kit.DateTime(t.CreatedAt), kit.DateTime(r.CreatedAt),
			text(""), text(""), text(""), text(""), text(t.BuyerLogon), t.Total.Yuan(), (-r.Amount).Yuan(), zero, zero, zero, zero, zero, text(""),
			zero, zero, text(r.OutRequestNo), zero, zero, text(r.Reason)})
	}
	writeRows(&w, tradeBillColumns, rows)
	fmt.Fprintf(&w, "#%s业务明细列表结束%s\n#交易合计：%d笔，商家实收共%s元，商家优惠共0.00元\n#退款合计：%d笔，商家实收退款共%s元，商家优惠退款0.00元\n#导出时间：[%s]\n",
		billRule, billRule, len(b.Trades), paid.Yuan(), len(b.Refunds), (-refunded).Yuan(), chineseTime(exportedAt))
	return w.String()
}

func summaryCSV(b *payment.Bill, exportedAt time.Time) string {
	var w strings.Builder
	billHead(&w, "业务汇总", "业务汇总列表", b)
	var total, refunded payment.Amount
	for _, t := range b.Trades {
		total += t.Total
	}
	for _, r := range b.Refunds {
		refunded += r.Amount
	}
	net := (total - refunded).Yuan()
	row := func(store string) []string {
		return []string{store, "", fmt.Sprint(len(b.Trades)), fmt.Sprint(len(b.Refunds)), total.Yuan(), net, "0.00", "0.00", "0.00", "0.00", "0.00", net}
	}
	writeRows(&w, tradeSummaryColumns, [][]string{row(""), row("合计")})
	fmt.Fprintf(&w, "#%s业务汇总列表结束%s\n#导出时间：[%s]\n", billRule, billRule, chineseTime(exportedAt))
	return w.String()
}

// accountCSV is the account flow: payments in, refunds out, with the
// balance they leave (starting from zero for the period).
func accountCSV(b *payment.Bill, exportedAt time.Time) string {
	var w strings.Builder
	billHead(&w, "账务明细", "账务明细列表", b)
	type entry struct {
		at  time.Time
		row func(balance payment.Amount) []string
		amt payment.Amount
	}
	var entries []entry
	var in, out payment.Amount
	for _, t := range b.Trades {
		in += t.Total
		entries = append(entries, entry{t.PaidAt, func(bal payment.Amount) []string {
			return []string{text(t.TradeNo + "1"), text(t.TradeNo), text(t.OutTradeNo), text(t.Subject), kit.DateTime(t.PaidAt), text(t.BuyerLogon),
				"+" + t.Total.Yuan(), "0.00", bal.Yuan(), text("支付宝"), text("在线支付"), text("")}
		}, t.Total})
	}
	for _, r := range b.Refunds {
		out += r.Amount
		t := b.RefundedTrades[r.TradeNo]
		entries = append(entries, entry{r.CreatedAt, func(bal payment.Amount) []string {
			return []string{text(r.TradeNo + "2"), text(r.TradeNo), text(r.OutTradeNo), text(t.Subject), kit.DateTime(r.CreatedAt), text(t.BuyerLogon),
				"0.00", (-r.Amount).Yuan(), bal.Yuan(), text("支付宝"), text("交易退款"), text(r.OutRequestNo)}
		}, -r.Amount})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].at.Before(entries[j].at) })
	var rows [][]string
	var balance payment.Amount
	for _, e := range entries {
		balance += e.amt
		rows = append(rows, e.row(balance))
	}
	writeRows(&w, accountBillColumns, rows)
	fmt.Fprintf(&w, "#%s账务明细列表结束%s\n#支出合计：%d笔，共%s元\n#收入合计：%d笔，共%s元\n#导出时间：[%s]\n",
		billRule, billRule, len(b.Refunds), (-out).Yuan(), len(b.Trades), in.Yuan(), chineseTime(exportedAt))
	return w.String()
}
