"""Spec files that exist only in a test's temporary folder (never in spec/)."""

from __future__ import annotations

from pathlib import Path

HOLDINGS = (
    "domestic_stock/trading/sandbox_holdings.yaml",
    """
title: 주식잔고조회 (sandbox test)
doc_id: sandbox-001
method: GET
path: /uapi/domestic-stock/v1/trading/sandbox-holdings
tr_id: {real: TTTC9001R, paper: VTTC9001R}
paging:
  keys: {CTX_AREA_FK100: ctx_area_fk100, CTX_AREA_NK100: ctx_area_nk100}
request:
  - use: account
  - {wire: INQR_DVSN, name: view, korean: 조회구분, length: 2, enum: HoldingsView}
  - {wire: CTX_AREA_FK100, korean: 연속조회검색조건100, length: 100, required: false}
  - {wire: CTX_AREA_NK100, korean: 연속조회키100, length: 100, required: false}
enums:
  HoldingsView:
    korean: 조회구분
    members:
      BY_LOAN_DATE: {code: "01", korean: 대출일별}
      BY_STOCK: {code: "02", korean: 종목별}
response:
  output1:
    korean: 응답상세1 (종목별 잔고)
    shape: list
    row: SandboxHolding
    fields:
      - {wire: pdno, korean: 상품번호, length: 12}
      - {wire: prdt_name, korean: 상품명, length: 60}
      - {wire: hldg_qty, korean: 보유수량, length: 19, type: int}
      - {wire: pchs_avg_pric, korean: 매입평균가격, length: 22, type: decimal}
      - {wire: prpr, korean: 현재가, length: 19, type: int}
      - {wire: prdy_vrss_sign, korean: 전일대비부호, length: 1, enum: Sign}
  output2:
    korean: 응답상세2 (합계)
    shape: object
    row: SandboxHoldingsTotal
    fields:
      - {wire: tot_evlu_amt, korean: 총평가금액, length: 19, type: int}
""",
)

ORDER = (
    "domestic_stock/trading/sandbox_order.yaml",
    """
title: 주식주문(현금) (sandbox test)
doc_id: sandbox-002
method: POST
path: /uapi/domestic-stock/v1/trading/sandbox-order
tr_id:
  select: side
  real: {sell: TTTC9011U, buy: TTTC9012U}
  paper: {sell: VTTC9011U, buy: VTTC9012U}
request:
  - {name: side, korean: 매도매수구분, enum: SandboxSide}
  - use: account
  - {wire: PDNO, name: code, korean: 상품번호, length: 12}
  - {wire: ORD_DVSN, name: order_type, korean: 주문구분, length: 2, enum: SandboxOrderType}
  - {wire: ORD_QTY, name: quantity, korean: 주문수량, length: 10, type: int, range: [1, 1000000]}
  - {wire: ORD_UNPR, name: price, korean: 주문단가, length: 19, type: int, range: [0, 9999999999]}
enums:
  SandboxSide:
    members:
      SELL: {code: sell, korean: 매도}
      BUY: {code: buy, korean: 매수}
  SandboxOrderType:
    members:
      LIMIT: {code: "00", korean: 지정가}
      MARKET: {code: "01", korean: 시장가}
response:
  output:
    korean: 응답상세
    shape: object
    row: SandboxOrderResult
    fields:
      - {wire: KRX_FWDG_ORD_ORGNO, korean: 거래소코드, length: 5}
      - {wire: ODNO, korean: 주문번호, length: 10}
      - {wire: ORD_TMD, korean: 주문시간, length: 6, type: time}
""",
)

DAILY_PRICE = (
    "domestic_stock/quotations/sandbox_daily_price.yaml",
    """
title: 주식현재가 일자별 (sandbox test)
doc_id: sandbox-003
method: GET
path: /uapi/domestic-stock/v1/quotations/sandbox-daily-price
tr_id: {real: FHKST9010400, paper: FHKST9010400}
request:
  - {wire: FID_COND_MRKT_DIV_CODE, korean: 조건 시장 분류 코드, length: 2, const: J}
  - {wire: FID_INPUT_ISCD, name: code, korean: 입력 종목코드, length: 12}
  - {wire: FID_PERIOD_DIV_CODE, name: period, korean: 기간 분류 코드, length: 1, enum: SandboxPeriod}
enums:
  SandboxPeriod:
    members:
      DAY: {code: D, korean: 일}
      WEEK: {code: W, korean: 주}
response:
  output:
    korean: 응답상세
    shape: list
    row: SandboxDailyPrice
    fields:
      - {wire: stck_bsop_date, korean: 주식 영업 일자, length: 8, type: date}
      - {wire: stck_oprc, korean: 주식 시가, length: 10, type: int}
      - {wire: stck_hgpr, korean: 주식 최고가, length: 10, type: int}
      - {wire: stck_lwpr, korean: 주식 최저가, length: 10, type: int}
      - {wire: stck_clpr, korean: 주식 종가, length: 10, type: int}
      - {wire: acml_vol, korean: 누적 거래량, length: 18, type: int}
      - {wire: prdy_vrss, korean: 전일 대비, length: 10, type: int}
      - {wire: prdy_vrss_sign, korean: 전일 대비 부호, length: 1, enum: Sign}
      - {wire: prdy_ctrt, korean: 전일 대비율, length: 82, type: decimal}
""",
)


def write(root: Path, *files: tuple[str, str]) -> None:
    for relative, text in files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip(), encoding="utf-8")
