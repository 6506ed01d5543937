#!/usr/bin/env bash
# The whole line A walk with curl against a running platform (`make run`): a new graduate registers,
# applies, and the application passes all 13 stages, each actor logging in with its own account.
#
#   deploy/demo/walk.sh [http://127.0.0.1:8000]
#
# Needs curl and python3 (to read JSON). The publicity period is passed by moving the platform's clock
# (`python -m deploy.stack clock --days 15`), as the demo cannot wait five working days.
set -euo pipefail
BASE=${1:-http://127.0.0.1:8000}
API="$BASE/api/v1"
PASSWORD=${DEMO_PASSWORD:-Demo2026}
PY=${PYTHON:-$(dirname "$0")/../../.venv/bin/python}
[ -x "$PY" ] || PY=python3

json() { "$PY" -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }
login() { curl -sf "$API/auth/login" -H 'Content-Type: application/json' \
               -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" | json "d['access_token']"; }
call() {  # call METHOD PATH TOKEN [JSON]
  local out code
  out=$(mktemp)
  code=$(curl -s -o "$out" -w '%{http_code}' -X "$1" "$API$2" -H "Authorization: Bearer $3" \
              -H 'Content-Type: application/json' ${4:+-d "$4"})
  if [ "${code:0:1}" != 2 ]; then echo "$1 $2 -> $code $(cat "$out")" >&2; rm -f "$out"; return 22; fi
  cat "$out"; rm -f "$out"
}
retry() { for _ in $(seq 100); do if out=$("$@" 2>/dev/null); then echo "$out"; return 0; fi; sleep 0.2; done; "$@"; }
step() { printf '\n\033[1m%s\033[0m\n' "$*"; }

step "0. 新毕业生个人注册（短信验证码验证手机号，选择已审核通过的单位）；单位审核通过"
USER="g$(date +%s%N | tail -c 9)"
MOBILE="139$(date +%s%N | tail -c 9)"
ID_NUMBER=$("$PY" -c "
import random; from shared.validators import id_check_char
b='440703' + str(random.randint(1990, 2003)) + '%02d%02d%03d' % (random.randint(1,12), random.randint(1,28), random.randint(0,999))
print(b + id_check_char(b))")
curl -sf "$API/auth/sms-codes" -H 'Content-Type: application/json' -d "{\"mobile\":\"$MOBILE\",\"purpose\":\"register\"}" >/dev/null
CODE=$(curl -sf "$API/dev/sms-inbox?mobile=$MOBILE" | json "d['items'][0]['code']")   # make run's development SMS inbox
TERMS=$(curl -sf "$API/public/terms/individual" | json "d['version']")   # 个人注册用户须知 accepted (【同意】)
UNIT_ID=$(curl -sf "$API/public/units?q=%E7%A4%BA%E8%8C%83%E7%A7%91%E6%8A%80" | json "d['items'][0]['id']")  # q=示范科技
PERSON=$(curl -sf "$API/registrations/individual" -H 'Content-Type: application/json' -d "{
  \"account\":{\"username\":\"$USER\",\"password\":\"$PASSWORD\",\"name\":\"示例毕业生\",\"mobile\":\"$MOBILE\",\"sms_code\":\"$CODE\"},
  \"unit_id\":\"$UNIT_ID\",
  \"registration\":{\"name\":\"示例毕业生\",\"id_type\":\"resident_id\",\"id_number\":\"$ID_NUMBER\",\"mobile\":\"$MOBILE\",
    \"degree\":\"bachelor\",\"graduated_on\":\"2025-06-30\",\"terms_version\":\"$TERMS\",
    \"bank_account\":{\"holder\":\"示例毕业生\",\"bank\":\"中国工商银行江门分行\",\"number\":\"6222020000001234567\"}}}" | json "d['individual']['id']")
GRAD=$(login "$USER")
UNIT=$(login dw_demo)
call POST "/individuals/$PERSON/approve" "$UNIT" '{}' >/dev/null
echo "graduate $USER registered and approved"

step "1. 个人提交补助申请（本科 12个月：标准 × 月数）"
APP=$(retry call POST /applications "$GRAD" '{"degree":"bachelor","months":12,"start_date":"2026-07-01"}')
APP_ID=$(echo "$APP" | json "d['id']")
echo "$APP" | json "d['application_no'] + ' 合计 ' + str(d['amount_fen']/100) + ' 元'"

step "2. 单位审核通过 / 3. 上报至县人社局"
call POST "/applications/$APP_ID/approve" "$UNIT" '{"opinion":"情况属实"}' | json "d['status_label']"
call POST /applications/report "$UNIT" "{\"application_ids\":[\"$APP_ID\"]}" | json "d['items'][0]['status_label']"

step "4. 县人社局审核通过"
COUNTY=$(login rsj440703)
call POST "/applications/$APP_ID/approve" "$COUNTY" '{"opinion":"审核通过"}' | json "d['status_label']"

step "5. 公示：开始公示，时间推进到公示期满，结束公示"
BATCH=$(retry call POST /publicity-batches "$COUNTY" "{\"application_ids\":[\"$APP_ID\"]}" | json "d['id']")
curl -sf "$API/public/publicity" | json "'公示中：' + ', '.join(i['applicant_name'] + '（' + i['unit_name'] + '）' for i in d['items'][:5])"
"$PY" -m deploy.stack clock --days "${CLOCK_DAYS:-15}"
COUNTY=$(login rsj440703)
call POST "/publicity-batches/$BATCH/end" "$COUNTY" | json "d['status']"

step "6. 评审通过 / 7. 上报县组织部"
call POST /assessments/pass "$COUNTY" "{\"application_ids\":[\"$APP_ID\"]}" >/dev/null
call POST /assessments/report "$COUNTY" "{\"application_ids\":[\"$APP_ID\"]}" >/dev/null

step "8. 县组织部确认"
ORG=$(login zzb440703)
retry call POST /org-reviews/confirm "$ORG" "{\"application_ids\":[\"$APP_ID\"]}" >/dev/null

step "9. 市人社局汇总 / 10. 市组织部确认（通知市财政局）"
CITY_BATCH=$(call POST /city-batches "$(login rsj440700)" "{\"application_ids\":[\"$APP_ID\"]}" | json "d['id']")
call POST "/city-batches/$CITY_BATCH/confirm" "$(login zzb440700)" '{}' | json "d['status']"

step "11. 市财政局拨付至县 / 12. 县财政局确认到账并拨付至个人"
retry call POST "/disbursement-batches/$CITY_BATCH/release" "$(login czj440700)" '{"county":"440703"}' >/dev/null
CFIN=$(login czj440703)
TRANSFER=$(retry call GET "/county-transfers?batch_id=$CITY_BATCH" "$CFIN" | json "d['items'][0]['id']")
call POST "/county-transfers/$TRANSFER/confirm-arrival" "$CFIN" | json "d['status']"
call POST "/county-transfers/$TRANSFER/pay" "$CFIN" | json "d['status']"

step "13. 个人确认收到补助"
GRAD=$(login "$USER")
PAYMENT=$(retry call GET /payments "$GRAD" | json "[p for p in d['items'] if p['application_id'] == '$APP_ID'][0]['id']")
call POST "/payments/$PAYMENT/confirm-receipt" "$GRAD" | json "d['status']"

step "流程状态（13个环节）"
for _ in $(seq 50); do
  STATUS=$(call GET "/applications/$APP_ID" "$GRAD" | json "d['status']")
  [ "$STATUS" = receipt_confirmed ] && break; sleep 0.2
done
call GET "/applications/$APP_ID/timeline" "$GRAD" | json "'\n'.join('%2d %-8s %-6s %s' % (s['stage'], s['name'], s['actor_name'] or '', s['at'] or '') for s in d['stages'])"
echo "final status: $STATUS"
[ "$STATUS" = receipt_confirmed ]
