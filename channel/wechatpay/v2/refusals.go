package v2

import (
	"errors"

	"github.com/mockpay/mockpay/channel"
	"github.com/mockpay/mockpay/payment"
)

// refusal is err as an APIv2 answer of kind k says it (§1.10): a Failure the
// codec made is answered as it is; the domain's codes map onto the
// function's err_code table; anything else is SYSTEMERROR, which the
// merchant retries.
func refusal(k Kind, v Values, err error) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	code := payment.CodeOf(err)
	switch code {
	case payment.CodeTradeNotExist:
		if k == KindRefundQuery {
			return Refuse(ErrRefundNotExist, "")
		}
		return Refuse(ErrOrderNotExist, "")
	case payment.CodeRefundNotExist:
		return Refuse(ErrRefundNotExist, "")
	case payment.CodeTradeHasSuccess:
		return Refuse(ErrOrderPaid, "")
	case payment.CodeTradeHasClosed:
		if k == KindRefund {
			return Refuse(ErrError, "订单已关闭")
		}
		return Refuse(ErrOrderClosed, "")
	case payment.CodeTotalMismatch, payment.CodeContextInconsistent:
		return Refuse(ErrInvalidRequest, "")
	case payment.CodeTradeHasFinished:
		return Refuse(ErrTradeOverdue, "")
	case payment.CodeRefundAmountExceeded:
		return Refuse(ErrError, "累计退款金额大于支付金额")
	case payment.CodeDiscordantRepeat:
		return Refuse(ErrInvalidRequest, "订单金额或退款金额与之前请求不一致，请核实后再试")
	case payment.CodeTradeStatusError:
		if k == KindRefund {
			return Refuse(ErrError, "订单状态错误")
		}
		return Refuse(ErrOrderClosed, "")
	case payment.CodeExpireTimeInPast:
		return ReturnFail("time_expire时间过短，刷卡至少1分钟，其他5分钟")
	case payment.CodeInvalidParameter, payment.CodeAmountOutOfRange, payment.CodeForbiddenWord:
		return Refuse(ErrParamError, payment.DetailOf(err))
	}
	if payment.ClassOf(code) == payment.ClassInvalid && code != "" {
		return Refuse(ErrParamError, payment.DetailOf(err))
	}
	return Refuse(ErrSystemError, "")
}

// Describe words an error for the cashier's error page in APIv2's codes.
func Describe(err error) channel.ErrorView {
	f := refusal(KindUnifiedOrder, nil, err)
	code := f.Code
	if f.Return {
		code = "FAIL"
	}
	return channel.ErrorView{SubCode: code, SubMsg: f.Msg, Detail: payment.DetailOf(err)}
}
