<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AdvicePanel</name>
    <message>
        <location filename="../../gui/advice_panel.py" line="+54"/>
        <source>Ways to save (estimate)</source>
        <translation>절약하는 방법 (추정)</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Apply</source>
        <translation>적용</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changes the Job settings as suggested and saves them.</source>
        <translation>작업 설정을 제안대로 바꾸고 저장합니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dismiss</source>
        <translation>숨기기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hides this suggestion until its figures change.</source>
        <translation>수치가 바뀔 때까지 이 제안을 숨깁니다.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The Job settings changed since this advice was worked out, so nothing was saved; the advice is worked out again now.</source>
        <translation>이 조언을 계산한 뒤 작업 설정이 바뀌어 아무것도 저장하지 않았습니다. 조언을 지금 다시 계산합니다.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not saved: the changed settings would not be valid.</source>
        <translation>저장하지 않았습니다: 바뀐 설정이 올바르지 않습니다.</translation>
    </message>
</context>
<context>
    <name>AppCore</name>
    <message>
        <location filename="../../gui/app_core.py" line="+131"/>
        <source>Settings file needs attention</source>
        <translation>설정 파일을 확인해 주세요</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your settings file has problems, so no run will start until they are fixed. The file was left as it is: correct the fields marked in red on the Job and Schedule pages and save, or fix the file in a text editor.</source>
        <translation>설정 파일에 문제가 있어, 고칠 때까지 어떤 실행도 시작하지 않습니다. 파일은 그대로 두었습니다. 작업 및 스케줄 페이지에서 빨간색으로 표시된 항목을 고친 뒤 저장하거나, 텍스트 편집기로 파일을 직접 고쳐 주세요.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run history set aside</source>
        <translation>실행 기록을 따로 보관함</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The run history was damaged, so T4 Panel set it aside (nothing was deleted) and started a new, empty history.</source>
        <translation>실행 기록 파일이 손상되어 T4 Panel이 따로 보관하고(아무것도 삭제하지 않았습니다) 비어 있는 새 기록을 시작했습니다.</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>T4 Panel is still starting; try again in a moment.</source>
        <translation>T4 Panel이 아직 시작 중입니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Something went wrong</source>
        <translation>문제가 발생했습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An unexpected error occurred: %s. Details are in the app log.</source>
        <translation>예상하지 못한 오류가 발생했습니다: %s. 자세한 내용은 앱 로그에 있습니다.</translation>
    </message>
</context>
<context>
    <name>CloudChecklist</name>
    <message>
        <location filename="../../gui/cloud_checklist.py" line="+91"/>
        <source>%v of %m steps done</source>
        <translation>%m단계 중 %v단계 완료</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Retry</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start again from the step that failed; finished steps are kept.</source>
        <translation>실패한 단계부터 다시 시작합니다. 끝난 단계는 그대로 둡니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Working on: %1</source>
        <translation>진행 중: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not yet</source>
        <translation>아직 안 함</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+20"/>
        <source>Working…</source>
        <translation>진행 중…</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Done</source>
        <translation>완료</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not needed</source>
        <translation>필요 없음</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Wait for the current step to finish.</source>
        <translation>지금 단계가 끝날 때까지 기다려 주세요.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>All steps are done.</source>
        <translation>모든 단계가 끝났습니다.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Stopped at a step that failed. Fix what it says, then press Retry: the steps already done are not done again.</source>
        <translation>실패한 단계에서 멈췄습니다. 안내대로 고친 뒤 다시 시도를 누르세요. 이미 끝난 단계는 다시 하지 않습니다.</translation>
    </message>
</context>
<context>
    <name>CloudPanel</name>
    <message>
        <location filename="../../gui/cloud_panel.py" line="+63"/>
        <source>Google Cloud</source>
        <translation>Google Cloud</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Run in Google Cloud (this computer may be off)</source>
        <translation>Google Cloud에서 실행 (이 컴퓨터는 꺼져 있어도 됨)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Google Cloud Scheduler starts each run in your own project, so the run happens even when every computer is off or asleep.</source>
        <translation>Google Cloud Scheduler가 내 프로젝트에서 매번 실행을 시작하므로, 모든 컴퓨터가 꺼져 있거나 잠자기 상태여도 실행됩니다.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Available when the job runs on Vertex AI in a Google Cloud project (Job page, Run on).</source>
        <translation>작업이 Google Cloud 프로젝트의 Vertex AI에서 실행될 때 쓸 수 있습니다 (작업 페이지, 실행 위치).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On: Google Cloud starts the runs in project %1. This computer starts none; it shows the cloud&apos;s runs when it is on.</source>
        <translation>켜짐: 프로젝트 %1에서 Google Cloud가 실행을 시작합니다. 이 컴퓨터는 실행을 시작하지 않고, 켜져 있을 때 클라우드의 실행을 보여 줍니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Off: this computer starts the runs, so it must be on and awake at run time.</source>
        <translation>꺼짐: 이 컴퓨터가 실행을 시작하므로, 실행 시각에 켜져 있고 깨어 있어야 합니다.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Working out what it costs…</source>
        <translation>비용을 계산하는 중…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The monthly cost could not be worked out: %1</source>
        <translation>월 비용을 계산하지 못했습니다: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not check the cloud schedule: %1</source>
        <translation>클라우드 일정을 확인하지 못했습니다: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking the cloud schedule…</source>
        <translation>클라우드 일정을 확인하는 중…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Run in Google Cloud?</source>
        <translation>Google Cloud에서 실행할까요?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>T4 Panel then creates, in %1: a service account t4panel-runner, a Cloud Run job and a Cloud Scheduler job, all labelled t4panel. From then on Google Cloud starts the runs and this computer starts none. Turn it on?</source>
        <translation>그다음 T4 Panel이 %1에 서비스 계정 t4panel-runner, Cloud Run 작업, Cloud Scheduler 작업을 만들고 모두 t4panel 라벨을 붙입니다. 그때부터 Google Cloud가 실행을 시작하고 이 컴퓨터는 시작하지 않습니다. 켤까요?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Turn on</source>
        <translation>켜기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop running in Google Cloud?</source>
        <translation>Google Cloud 실행을 끌까요?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>T4 Panel deletes what it created in project %1 (the Cloud Scheduler job, the Cloud Run job and the service account) and nothing else. The keys stay in Secret Manager, as chosen in Settings.</source>
        <translation>T4 Panel이 프로젝트 %1에 만든 것(Cloud Scheduler 작업, Cloud Run 작업, 서비스 계정)만 지우고 다른 것은 건드리지 않습니다. 키는 설정에서 고른 대로 Secret Manager에 남습니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>T4 Panel deletes what it created in project %1 (the Cloud Scheduler job, the Cloud Run job, the copied keys and the service account) and nothing else.</source>
        <translation>T4 Panel이 프로젝트 %1에 만든 것(Cloud Scheduler 작업, Cloud Run 작업, 복사한 키, 서비스 계정)만 지우고 다른 것은 건드리지 않습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This computer then starts the runs again, so it must be on and awake at run time. Turn it off?</source>
        <translation>그러면 이 컴퓨터가 다시 실행을 시작하므로, 실행 시각에 켜져 있고 깨어 있어야 합니다. 끌까요?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Turn off</source>
        <translation>끄기</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Setting up the cloud schedule</source>
        <translation>클라우드 일정 설정 중</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each step first looks at what is there and makes only what is missing.</source>
        <translation>각 단계는 먼저 있는 것을 확인하고 없는 것만 만듭니다.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Removing the cloud schedule</source>
        <translation>클라우드 일정 제거 중</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only what T4 Panel created is deleted; what is already gone counts as done.</source>
        <translation>T4 Panel이 만든 것만 지웁니다. 이미 없는 것은 완료로 칩니다.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cloud schedule on: Google Cloud starts the runs.</source>
        <translation>클라우드 일정 켜짐: Google Cloud가 실행을 시작합니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cloud schedule off: this computer starts the runs again.</source>
        <translation>클라우드 일정 꺼짐: 이 컴퓨터가 다시 실행을 시작합니다.</translation>
    </message>
</context>
<context>
    <name>CloudTexts</name>
    <message>
        <location filename="../../gui/cloud_texts.py" line="+31"/>
        <source>free</source>
        <translation>무료</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;What running in Google Cloud costs a month&lt;/b&gt; (estimate, on top of the GPU runs, which cost the same as before):</source>
        <translation>&lt;b&gt;Google Cloud에서 실행하는 월 비용&lt;/b&gt; (예상, GPU 실행 비용은 전과 같고 그 밖에 드는 비용):</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Inside the free tier for one daily run.</source>
        <translation>하루 한 번 실행이면 무료 사용량 안에 듭니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Total: about %1 a month.</source>
        <translation>합계: 월 약 %1.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>⚠ Part of the cloud schedule is missing in project %1 (%2). Turn the switch off and on again to repair it.</source>
        <translation>⚠ 프로젝트 %1에 클라우드 일정의 일부가 없습니다 (%2). 스위치를 껐다가 다시 켜서 복구하세요.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>⚠ The cloud&apos;s copy of the settings differs from this computer&apos;s. Save the settings again (Job or Schedule page) to update it.</source>
        <translation>⚠ 클라우드에 있는 설정 사본이 이 컴퓨터의 설정과 다릅니다. 설정을 다시 저장하면(작업 또는 일정 페이지) 업데이트됩니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ Missed in Google Cloud: the start at %1 did not reach the job (%2). See the Cloud Scheduler page of project %3.</source>
        <translation>⚠ Google Cloud에서 놓친 실행: %1의 시작이 작업에 닿지 못했습니다 (%2). 프로젝트 %3의 Cloud Scheduler 페이지를 확인하세요.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>⚠ The Cloud Scheduler job is paused: no run starts until it is resumed.</source>
        <translation>⚠ Cloud Scheduler 작업이 일시중지되었습니다. 다시 시작할 때까지 실행되지 않습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next start in Google Cloud: %1</source>
        <translation>Google Cloud의 다음 시작: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last start in Google Cloud: %1, fine.</source>
        <translation>Google Cloud의 마지막 시작: %1, 정상.</translation>
    </message>
</context>
<context>
    <name>CoreText</name>
    <message>
        <location filename="../../gui/core_text.py" line="+30"/>
        <source>GNOME Keyring / Secret Service</source>
        <translation>GNOME 키링 / Secret Service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GNOME Keyring / Secret Service (libsecret)</source>
        <translation>GNOME 키링 / Secret Service (libsecret)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KDE Wallet</source>
        <translation>KDE 지갑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>macOS Keychain</source>
        <translation>macOS 키체인</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Windows Credential Manager</source>
        <translation>Windows 자격 증명 관리자</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none (no keyring found)</source>
        <translation>없음 (키링을 찾지 못함)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none (keyring disabled)</source>
        <translation>없음 (키링 사용 안 함)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a plain file (keyrings.alt, not used)</source>
        <translation>일반 파일 (keyrings.alt, 사용 안 함)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>About %1 spent on Vertex AI this month (estimate); no monthly budget set.</source>
        <translation>이번 달 Vertex AI 사용액 약 %1 (예상). 월 예산이 설정되지 않았습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Over budget: about %1 of %2 spent this month (%3, estimate).</source>
        <translation>예산 초과: 이번 달 %2 중 약 %1 사용 (%3, 예상).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scheduled runs are blocked until next month.</source>
        <translation>예약 실행은 다음 달까지 차단됩니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs still start: turn on blocking in Settings to stop scheduled runs.</source>
        <translation>실행은 계속 시작됩니다. 예약 실행을 막으려면 설정에서 차단을 켜세요.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About %1 of your %2 monthly budget is spent (%3, estimate).</source>
        <translation>월 예산 %2 중 약 %1을(를) 사용했습니다 (%3, 예상).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About %1 of %2 spent this month (%3, estimate).</source>
        <translation>이번 달 %2 중 약 %1 사용 (%3, 예상).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Your own rates from Settings: %1 %2/h and %3/h per T4 (estimate).</source>
        <translation>설정에서 입력한 요금: %1 시간당 %2, T4 1개당 시간당 %3 (예상).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Spot</source>
        <translation>Spot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on-demand</source>
        <translation>온디맨드</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vertex AI %1 rates, %2: %3 %4/h, T4 %5/h each (estimate from Google&apos;s Cloud Billing Catalog, fetched %6).</source>
        <translation>Vertex AI %1 요금, %2: %3 시간당 %4, T4 1개당 시간당 %5 (%6에 가져온 Google Cloud Billing 카탈로그 기준 추정치).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no prices for %1 in the table, so %2 rates are used</source>
        <translation>가격표에 %1 가격이 없어 %2 요금을 사용</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vertex AI %1 rates, %2: %3 %4/h, T4 %5/h each (estimate: %6 x Compute Engine list prices read %7).</source>
        <translation>Vertex AI %1 요금, %2: %3 시간당 %4, T4 1개당 시간당 %5 (예상: Compute Engine 정가 × %6, %7 기준).</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+10"/>
        <source>Some of these rates are your own, from Settings.</source>
        <translation>일부 요금은 설정에서 직접 입력한 값입니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Prices: your own rates from Settings.</source>
        <translation>가격: 설정에 직접 입력한 요금.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prices: Google Cloud Billing Catalog, fetched %1.</source>
        <translation>가격: Google Cloud Billing 카탈로그, %1에 가져옴.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prices: T4 Panel&apos;s price table, read %1.</source>
        <translation>가격: T4 Panel 가격표, %1 기준.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Colab prices from %1</source>
        <translation>Colab 가격 출처: %1</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Something went wrong</source>
        <translation>문제가 발생했습니다</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The action failed; see the app log for details.</source>
        <translation>작업을 하지 못했습니다. 자세한 내용은 앱 로그를 보세요.</translation>
    </message>
</context>
<context>
    <name>CostEstimateLabel</name>
    <message>
        <location filename="../../gui/cost_estimate.py" line="+75"/>
        <source>Cost estimate: finish the fields above to see it.</source>
        <translation>예상 비용: 위 항목을 모두 채우면 표시됩니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a typical {0} min run</source>
        <translation>보통 {0}분 실행 기준</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a run of the full {0} min max runtime</source>
        <translation>최대 실행 시간 {0}분을 모두 쓰는 실행 기준</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Estimate on Vertex AI: about ${0} per run ({1}), ${2} a month</source>
        <translation>Vertex AI 예상 비용: 실행 1회 약 ${0} ({1}), 월 ${2}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> if the schedule were on</source>
        <translation>(스케줄을 켰을 때)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; Spot would be about ${0}</source>
        <translation>; Spot이면 약 ${0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>. At most ${0} per run: the max runtime of {1} min stops it.</source>
        <translation>. 실행 1회 최대 ${0}: 최대 실행 시간 {1}분이 지나면 중지됩니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No prices for {0} yet: {1} rates used.</source>
        <translation>{0}의 가격 정보가 아직 없어 {1} 요금을 사용했습니다.</translation>
    </message>
</context>
<context>
    <name>CostPanel</name>
    <message>
        <location filename="../../gui/cost_panel.py" line="+102"/>
        <source>Loading costs...</source>
        <translation>비용을 불러오는 중...</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This month (estimate)</source>
        <translation>이번 달 (예상)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Daily spend (estimate)</source>
        <translation>일별 지출 (예상)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show the last</source>
        <translation>표시 기간: 최근</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>30 days</source>
        <translation>30일</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>90 days</source>
        <translation>90일</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Most expensive runs (last 90 days)</source>
        <translation>비용이 가장 큰 실행 (최근 90일)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Started</source>
        <translation>시작</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Where</source>
        <translation>실행 위치</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Length</source>
        <translation>실행 시간</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cost (estimate)</source>
        <translation>비용 (예상)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>The costs could not be read.</source>
        <translation>비용 정보를 읽지 못했습니다.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Spent on Vertex AI so far this month: about {0} (estimate).</source>
        <translation>이번 달 지금까지 Vertex AI에 쓴 비용: 약 {0} (예상).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In your billing currency: about {0}.</source>
        <translation>결제 통화로는 약 {0}입니다.</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n scheduled run(s) left this month</source>
        <translation>
            <numerusform>이번 달 남은 예약 실행 %n회</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Jobs run on this computer, so nothing more is spent on Vertex AI; {0}, each would cost about {1} there.</source>
        <translation>작업이 이 컴퓨터에서 실행되므로 Vertex AI 비용은 더 들지 않습니다. {0}: Vertex AI에서는 각각 약 {1}입니다.</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n more scheduled run(s)</source>
        <translation>
            <numerusform>예약 실행 %n회 더</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Projected for the month: about {0} (so far plus {1} at about {2} each).</source>
        <translation>이번 달 월간 예상: 약 {0} (지금까지 비용 + {1}, 회당 약 {2}).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Running now: about {0} so far.</source>
        <translation>실행 중: 지금까지 약 {0}.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Runs on this computer this month would have cost about {0} on Vertex AI.</source>
        <translation>이번 달 이 컴퓨터에서 한 실행은 Vertex AI에서라면 약 {0}이 들었을 것입니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For comparison: Colab Pro costs {0} and Colab Pro+ {1} a month, whatever you run. Projected this month on Vertex AI: about {2}.</source>
        <translation>비교: Colab Pro는 월 {0}, Colab Pro+는 월 {1}의 고정 비용입니다. 이번 달 Vertex AI 월간 예상: 약 {2}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No rates could be applied.</source>
        <translation>적용할 수 있는 요금이 없습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All figures are estimates: Google&apos;s bill is the final word. Rates used: {0}</source>
        <translation>모든 금액은 예상치이며 최종 금액은 Google 청구서를 따릅니다. 사용한 요금: {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No monthly budget set</source>
        <translation>월 예산이 설정되지 않았습니다</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} of {1} ({2}%)</source>
        <translation>{1} 중 {0} ({2}%)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This computer</source>
        <translation>이 컴퓨터</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Vertex AI</source>
        <translation>Vertex AI</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>would have cost {0} on Vertex</source>
        <translation>Vertex AI에서라면 {0}</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Vertex AI (spent)</source>
        <translation>Vertex AI (지출)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer (would have cost on Vertex)</source>
        <translation>이 컴퓨터 (Vertex AI였다면 든 비용)</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../gui/dashboard.py" line="+76"/>
        <source>&lt;h2&gt;Today&apos;s prediction job&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;오늘의 예측 작업&lt;/h2&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No run yet</source>
        <translation>아직 실행 없음</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Press Run Now to start the job, or set a daily schedule.</source>
        <translation>지금 실행을 눌러 작업을 시작하거나 매일 실행할 스케줄을 설정하세요.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancel run</source>
        <translation>실행 취소</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop the current run. A stopped run is not charged further.</source>
        <translation>현재 실행을 중지합니다. 중지한 뒤에는 비용이 더 청구되지 않습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show log</source>
        <translation>로그 보기</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Current run</source>
        <translation>현재 실행</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Next run: no schedule yet</source>
        <translation>다음 실행: 아직 스케줄 없음</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Setup not checked yet: use Check my setup on the Job page.</source>
        <translation>아직 설정을 확인하지 않았습니다: 작업 페이지의 내 설정 확인을 사용하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Run Now</source>
        <translation>지금 실행</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start the job now with the saved settings.</source>
        <translation>저장된 설정으로 작업을 바로 시작합니다.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>You are trying T4 Panel on this computer with a sample job: press Run Now to see it work. To run your job on a Google Cloud T4 GPU, sign in with Google, then choose Vertex AI on the Job page.</source>
        <translation>지금은 예제 작업으로 이 컴퓨터에서 T4 Panel을 시험하고 있습니다. 지금 실행을 눌러 동작을 확인해 보세요. Google Cloud T4 GPU에서 작업을 실행하려면 Google로 로그인한 뒤 작업 페이지에서 Vertex AI를 고르세요.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sign in with Google…</source>
        <translation>Google로 로그인…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep using this computer</source>
        <translation>이 컴퓨터에서 계속 사용</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Not read yet.</source>
        <translation>아직 읽지 않았습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This month</source>
        <translation>이번 달</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Runs on Vertex AI in project %1, region %2.</source>
        <translation>Vertex AI에서 실행됩니다 (프로젝트 %1, 리전 %2).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Runs on this computer (no Google project set). Choose Vertex AI on the Job page to use a cloud T4 GPU.</source>
        <translation>이 컴퓨터에서 실행됩니다 (Google 프로젝트 미설정). 클라우드 T4 GPU를 쓰려면 작업 페이지에서 Vertex AI를 고르세요.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Run %1 · %2 · started %3</source>
        <translation>실행 %1 · %2 · 시작 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>this computer</source>
        <translation>이 컴퓨터</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exit code: %1</source>
        <translation>종료 코드: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rows written: +%1</source>
        <translation>기록된 행: +%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cost: about $%1 (estimate)</source>
        <translation>비용: 약 $%1 (예상)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Open this job in the Google Cloud console</source>
        <translation>Google Cloud 콘솔에서 이 작업 열기</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>These Vertex AI jobs were started by T4 Panel but are not in this computer&apos;s history, and they are still running (and costing money). Cancel them unless someone else is running them on purpose.</source>
        <translation>이 Vertex AI 작업들은 T4 Panel이 시작했지만 이 컴퓨터의 실행 기록에 없으며, 아직 실행 중입니다 (비용이 계속 나갑니다). 다른 사람이 일부러 실행한 것이 아니라면 취소하세요.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cancel this job</source>
        <translation>이 작업 취소</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Not started yet</source>
        <translation>아직 시작하지 않음</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Elapsed: %1</source>
        <translation>경과 시간: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>Setup check (%1): %n problem(s) to fix before the next run.</source>
        <translation>
            <numerusform>설정 확인(%1): 다음 실행 전에 고칠 문제 %n개.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Setup check (%1): ready, %n warning(s).</source>
        <translation>
            <numerusform>설정 확인(%1): 준비됨, 경고 %n개.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Setup check (%1): everything is ready.</source>
        <translation>설정 확인(%1): 모두 준비되었습니다.</translation>
    </message>
</context>
<context>
    <name>DayStrip</name>
    <message>
        <location filename="../../gui/day_strip.py" line="+44"/>
        <source>Succeeded</source>
        <translation>성공</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retried</source>
        <translation>재시도 후 성공</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Missed</source>
        <translation>놓침</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skipped</source>
        <translation>건너뜀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocked</source>
        <translation>차단됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing scheduled</source>
        <translation>예약 없음</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nothing has run on schedule yet today.</source>
        <translation>오늘은 아직 예약 실행이 없었습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The scheduled run succeeded.</source>
        <translation>예약 실행이 성공했습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The scheduled run did not succeed at first; a later run did.</source>
        <translation>예약 실행이 처음에는 성공하지 못했지만, 나중 실행이 성공했습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The scheduled run failed.</source>
        <translation>예약 실행이 실패했습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The scheduled run was missed: this computer was off or asleep, and it was too late to catch up.</source>
        <translation>예약 실행을 놓쳤습니다: 이 컴퓨터가 꺼져 있거나 절전 중이었고, 보충하기에는 너무 늦었습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The scheduled run was skipped: the previous run was still going.</source>
        <translation>예약 실행을 건너뛰었습니다: 이전 실행이 아직 진행 중이었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The scheduled run was not started: the monthly budget or the settings stopped it.</source>
        <translation>예약 실행이 시작되지 않았습니다: 월 예산이나 설정 때문에 막혔습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A run is going now.</source>
        <translation>지금 실행 중입니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No run was scheduled this day.</source>
        <translation>이날은 예약된 실행이 없었습니다.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>missed</source>
        <translation>놓침</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>skipped (a run was still going)</source>
        <translation>건너뜀 (다른 실행이 진행 중)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>blocked</source>
        <translation>차단됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>could not start</source>
        <translation>시작하지 못함</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>started</source>
        <translation>시작됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>started late (catch-up)</source>
        <translation>늦게 시작됨 (보충)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Earlier runs that day not listed here: %1 (History has them all).</source>
        <translation>여기에 없는 그날의 이전 실행: %1개 (실행 기록에 모두 있습니다).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Click to open this run&apos;s log.</source>
        <translation>누르면 이 실행의 로그가 열립니다.</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>%1 %2</source>
        <translation>%2 %1일</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nothing was scheduled</source>
        <translation>예약된 실행 없음</translation>
    </message>
</context>
<context>
    <name>DaysPanel</name>
    <message>
        <location filename="../../gui/days_panel.py" line="+38"/>
        <location line="+7"/>
        <source>Last 30 days</source>
        <translation>최근 30일</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Hover over a day to read what happened; click it to open that run.</source>
        <translation>날짜에 마우스를 올리면 무슨 일이 있었는지 보이고, 누르면 그 실행이 열립니다.</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <location filename="../../gui/error_dialog.py" line="+28"/>
        <source>Copy details</source>
        <translation>자세한 내용 복사</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Something went wrong</source>
        <translation>문제가 발생했습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T4 Panel hit an unexpected error. Your settings and history are safe. Copy the details if you report it.</source>
        <translation>T4 Panel에 예상하지 못한 오류가 발생했습니다. 설정과 실행 기록은 안전합니다. 문제를 알릴 때 자세한 내용을 복사해 보내 주세요.</translation>
    </message>
</context>
<context>
    <name>FallbacksBox</name>
    <message>
        <location filename="../../gui/job_fallbacks.py" line="+36"/>
        <source>Tried from the top when the job&apos;s own region has no T4 free. Only a scheduled run moves; Run Now uses the job&apos;s region.</source>
        <translation>작업의 리전에 남은 T4가 없을 때 위에서부터 차례로 시도합니다. 예약 실행만 옮겨 가며, 지금 실행은 작업의 리전을 씁니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Up</source>
        <translation>위로</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>If Spot is preempted or unavailable, run on demand</source>
        <translation>Spot이 중단되거나 없으면 온디맨드로 실행</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A preempted Spot run is tried again on demand in the same region. When no region above has Spot T4s free, the next attempts run on demand.</source>
        <translation>중단된 Spot 실행은 같은 리전에서 온디맨드로 다시 시도합니다. 위의 어느 리전에도 남은 Spot T4가 없으면 다음 시도부터 온디맨드로 실행합니다.</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>Only for Spot jobs: turn on Spot above to choose this.</source>
        <translation>Spot 작업에만 해당합니다. 고르려면 위에서 Spot을 켜세요.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A run on demand costs about $%1 more than on Spot (about $%2 instead of $%3, estimate).</source>
        <translation>온디맨드 실행은 Spot보다 1회에 약 $%1 더 듭니다 ($%3 대신 약 $%2, 추정치).</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../gui/first_run.py" line="+288"/>
        <source>Welcome to T4 Panel</source>
        <translation>T4 Panel에 오신 것을 환영합니다</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Please check these settings</source>
        <translation>다음 설정을 확인하세요</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The Supabase keys could not be saved.</source>
        <translation>Supabase 키를 저장하지 못했습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supabase keys not saved</source>
        <translation>Supabase 키가 저장되지 않음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave the fields empty to skip, or save them later in Settings.</source>
        <translation>건너뛰려면 항목을 비워 두거나, 나중에 설정에서 저장하세요.</translation>
    </message>
</context>
<context>
    <name>GeneralSettings</name>
    <message>
        <location filename="../../gui/general_settings.py" line="+41"/>
        <source>Starting</source>
        <translation>시작</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start T4 Panel when I log in (so scheduled runs are never missed)</source>
        <translation>로그인할 때 T4 Panel 시작 (예약 실행을 놓치지 않도록)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Notifications</source>
        <translation>알림</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tell me when a run succeeds</source>
        <translation>실행이 성공하면 알림</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tell me when a run fails or is cancelled</source>
        <translation>실행이 실패하거나 취소되면 알림</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Optional. The end of each run is also posted here (Slack-compatible).</source>
        <translation>선택 사항. 각 실행이 끝나면 여기로도 알립니다 (Slack 호환).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Slack webhook</source>
        <translation>Slack 웹훅</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> min</source>
        <translation>분</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>never</source>
        <translation>경고 안 함</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>While a Vertex AI run is running, warn (tray and webhook) when its GPU and CPU have both been idle this long: a stuck job is billed like a working one.</source>
        <translation>Vertex AI 실행 중에 GPU와 프로세서가 모두 이 시간 동안 놀고 있으면 알립니다(트레이와 웹훅). 멈춘 작업도 일하는 작업과 똑같이 요금이 나갑니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Also cancel such a run</source>
        <translation>그런 실행은 취소도 하기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Warn when the T4 sits idle for</source>
        <translation>T4가 다음 시간 동안 놀면 알림</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Budget</source>
        <translation>예산</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no budget</source>
        <translation>예산 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not start scheduled runs that would go over the budget</source>
        <translation>예산을 넘게 되는 예약 실행은 시작하지 않음</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> per hour</source>
        <translation> /시간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>use the price table</source>
        <translation>가격표 사용</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Monthly budget</source>
        <translation>월 예산</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Machine rate (optional)</source>
        <translation>머신 요금 (선택)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T4 rate per GPU (optional)</source>
        <translation>GPU당 T4 요금 (선택)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+5"/>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A change takes effect the next time T4 Panel starts.</source>
        <translation>변경 사항은 T4 Panel을 다음에 시작할 때 적용됩니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>T4 Panel will start when you log in.</source>
        <translation>로그인하면 T4 Panel이 시작됩니다.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>T4 Panel will not start at login.</source>
        <translation>로그인할 때 T4 Panel이 시작되지 않습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not change the login item: %1</source>
        <translation>로그인 시 시작 설정을 바꾸지 못했습니다: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Saved.</source>
        <translation>저장했습니다.</translation>
    </message>
</context>
<context>
    <name>Guide</name>
    <message>
        <location filename="../../gui/guide.py" line="+71"/>
        <source>T4 Panel operator guide</source>
        <translation>T4 Panel 운영자 안내서</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The operator guide is missing from this installation. It is also in the docs folder of T4 Panel&apos;s source code.</source>
        <translation>이 설치본에는 운영자 안내서가 없습니다. 안내서는 T4 Panel 소스 코드의 docs 폴더에도 있습니다.</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <location filename="../../gui/help_menu.py" line="+39"/>
        <source>Runs the daily T4 GPU prediction job on Vertex AI or on this computer, and shows its log and cost.</source>
        <translation>매일 실행되는 T4 GPU 예측 작업을 Vertex AI 또는 이 컴퓨터에서 실행하고 로그와 비용을 보여 줍니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>T4 Panel is licensed under Apache-2.0. It includes these components:</source>
        <translation>T4 Panel은 Apache-2.0 라이선스를 따르며, 다음 구성 요소를 포함합니다:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Qt is used under the LGPLv3: you may replace the Qt libraries in the app folder with your own build.</source>
        <translation>Qt는 LGPLv3 라이선스로 사용합니다. 앱 폴더의 Qt 라이브러리를 직접 빌드한 것으로 바꿀 수 있습니다.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>About T4 Panel</source>
        <translation>T4 Panel 정보</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the &amp;log folder</source>
        <translation>로그 폴더 열기(&amp;L)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the folder with T4 Panel&apos;s own log, to send it with a problem report.</source>
        <translation>문제를 알릴 때 함께 보낼 수 있도록 T4 Panel 자체 로그가 있는 폴더를 엽니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Operator &amp;guide</source>
        <translation>운영자 안내서(&amp;G)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How to use T4 Panel, page by page.</source>
        <translation>T4 Panel 사용법을 페이지별로 안내합니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;About T4 Panel</source>
        <translation>T4 Panel 정보(&amp;A)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About &amp;Qt</source>
        <translation>Qt 정보(&amp;Q)</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <location filename="../../gui/history_page.py" line="+45"/>
        <source>Started</source>
        <translation>시작</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trigger</source>
        <translation>시작 방식</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run on</source>
        <translation>실행 위치</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Job</source>
        <translation>작업</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Duration</source>
        <translation>실행 시간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cost (est.)</source>
        <translation>비용 (예상)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Details</source>
        <translation>자세히</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;h2&gt;History&lt;/h2&gt;Double-click a run to see its log.</source>
        <translation>&lt;h2&gt;실행 기록&lt;/h2&gt;실행을 두 번 클릭하면 로그를 볼 수 있습니다.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Run Now</source>
        <translation>지금 실행</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Schedule</source>
        <translation>스케줄</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Catch-up</source>
        <translation>놓친 실행 보충</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>rows written: +%1</source>
        <translation>기록된 행: +%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>GPU busy %1% of the run</source>
        <translation>실행 시간의 %1% 동안 GPU 사용</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>exit code %1</source>
        <translation>종료 코드 %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> if on Vertex</source>
        <translation> (Vertex AI였다면)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>this computer</source>
        <translation>이 컴퓨터</translation>
    </message>
</context>
<context>
    <name>JobPage</name>
    <message>
        <location filename="../../gui/job_page.py" line="+53"/>
        <source>Line %1: write NAME=value.</source>
        <translation>%1번째 줄: 이름=값 형식으로 적으세요.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Line %1: %2 is set twice.</source>
        <translation>%1번째 줄: %2이(가) 두 번 설정되어 있습니다.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>This computer (free, for trying out)</source>
        <translation>이 컴퓨터 (무료, 시험용)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vertex AI (Google Cloud T4 GPU)</source>
        <translation>Vertex AI (Google Cloud T4 GPU)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Only regions where Vertex AI offers NVIDIA T4 GPUs are listed.</source>
        <translation>Vertex AI에서 NVIDIA T4 GPU를 제공하는 리전만 표시됩니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>T4 GPUs attach to N1 machines only. n1-standard-4 has 4 vCPUs and 15 GB.</source>
        <translation>T4 GPU는 N1 머신에만 연결됩니다. n1-standard-4는 vCPU 4개, 메모리 15 GB입니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The container image Vertex AI runs. Not used on this computer.</source>
        <translation>Vertex AI가 실행할 컨테이너 이미지입니다. 이 컴퓨터에서 실행할 때는 쓰이지 않습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The program and its arguments, as you would type them in a terminal. {python} is this computer&apos;s Python; {sample_job} the bundled sample.</source>
        <translation>터미널에 입력하듯 프로그램과 인수를 적습니다. {python}은 이 컴퓨터의 Python, {sample_job}은 함께 들어 있는 예제 작업입니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>One NAME=value per line. Supabase keys do not go here: save them in Settings.</source>
        <translation>한 줄에 하나씩 이름=값으로 적습니다. Supabase 키는 여기에 넣지 말고 설정에 저장하세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use Spot GPUs (much cheaper, may be interrupted)</source>
        <translation>Spot GPU 사용 (훨씬 저렴하지만 중단될 수 있음)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> min</source>
        <translation>분</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The job is stopped after this long, so a stuck job can never cost more.</source>
        <translation>이 시간이 지나면 작업이 중지되므로, 멈춘 작업 때문에 비용이 더 나오지 않습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>optional: name@project.iam.gserviceaccount.com</source>
        <translation>선택 사항: name@project.iam.gserviceaccount.com</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give the job the Supabase URL and key (as SUPABASE_URL, SUPABASE_KEY)</source>
        <translation>작업에 Supabase URL과 키 전달 (SUPABASE_URL, SUPABASE_KEY 환경 변수)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Run on</source>
        <translation>실행 위치</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Google Cloud project</source>
        <translation>Google Cloud 프로젝트</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Region</source>
        <translation>리전</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Job name</source>
        <translation>작업 이름</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Only regions where Vertex AI training offers NVIDIA T4 GPUs are listed.</source>
        <translation>Vertex AI 학습에서 NVIDIA T4 GPU를 제공하는 리전만 표시됩니다.</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>On Vertex AI the command runs in your container: enter its program, e.g. python -u predict.py</source>
        <translation>Vertex AI에서는 명령이 컨테이너 안에서 실행됩니다. 컨테이너의 프로그램을 입력하세요. 예: python -u predict.py</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>none (CPU only)</source>
        <translation>없음 (GPU 없이 실행)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Machine type</source>
        <translation>머신 타입</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T4 GPUs</source>
        <translation>T4 GPU 수</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Container image</source>
        <translation>컨테이너 이미지</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Command</source>
        <translation>명령</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arguments</source>
        <translation>인수</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Environment</source>
        <translation>환경 변수</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>If no T4 is free</source>
        <translation>남은 T4가 없으면</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max runtime</source>
        <translation>최대 실행 시간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Boot disk</source>
        <translation>부팅 디스크</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service account</source>
        <translation>서비스 계정</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&lt;h2&gt;Job&lt;/h2&gt;What runs, and on which GPU machine.</source>
        <translation>&lt;h2&gt;작업&lt;/h2&gt;무엇을 어떤 GPU 머신에서 실행할지 정합니다.</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Close the quotation marks.</source>
        <translation>따옴표를 닫아 주세요.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Saving…</source>
        <translation>저장 중…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Settings of other pages that had problems were set back to their defaults: %1.</source>
        <translation>다른 페이지에서 문제가 있던 설정은 기본값으로 되돌렸습니다: %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved.</source>
        <translation>저장했습니다.</translation>
    </message>
</context>
<context>
    <name>KeysChoice</name>
    <message>
        <location filename="../../gui/keys_choice.py" line="+36"/>
        <source>How the job gets the Supabase keys</source>
        <translation>작업이 Supabase 키를 받는 방법</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keep the Supabase keys in Secret Manager (safer)</source>
        <translation>Supabase 키를 Secret Manager에 보관 (더 안전)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The job reads the keys from Secret Manager in your project when it starts; its settings in the Google Cloud console show no key.</source>
        <translation>작업이 시작할 때 내 프로젝트의 Secret Manager에서 키를 읽습니다. Google Cloud 콘솔의 작업 설정에는 키가 보이지 않습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give the job the Supabase URL and key as plain environment variables (SUPABASE_URL, SUPABASE_KEY): less safe</source>
        <translation>Supabase URL과 키를 일반 환경 변수(SUPABASE_URL, SUPABASE_KEY)로 작업에 전달: 덜 안전</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Anyone who can view the job in the project can read the key.</source>
        <translation>프로젝트에서 작업을 볼 수 있는 사람은 누구나 키를 읽을 수 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Less safe: anyone who can view Vertex AI jobs in the project can read the key in the job&apos;s settings.</source>
        <translation>덜 안전: 프로젝트에서 Vertex AI 작업을 볼 수 있는 사람은 누구나 작업 설정에서 키를 읽을 수 있습니다.</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Keep the keys in Secret Manager?</source>
        <translation>키를 Secret Manager에 보관할까요?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the keys</source>
        <translation>키 복사</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Putting the keys in Secret Manager</source>
        <translation>키를 Secret Manager에 넣는 중</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each step first looks at what is there and makes only what is missing.</source>
        <translation>각 단계는 먼저 있는 것을 확인하고 없는 것만 만듭니다.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The Supabase keys are in Secret Manager in project %1; Vertex AI runs read them from there when they start.</source>
        <translation>Supabase 키가 프로젝트 %1의 Secret Manager에 있습니다. Vertex AI 실행은 시작할 때 그곳에서 키를 읽습니다.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The Supabase keys stay in Secret Manager: the cloud schedule uses them.</source>
        <translation>Supabase 키는 Secret Manager에 남아 있습니다. 클라우드 예약이 사용합니다.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete the keys from Secret Manager?</source>
        <translation>Secret Manager에서 키를 삭제할까요?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New Vertex AI runs will get the Supabase keys as plain environment variables. Delete the copies in Secret Manager in project %1 too? Keep them if anyone else needs them.</source>
        <translation>새 Vertex AI 실행은 Supabase 키를 일반 환경 변수로 받습니다. 프로젝트 %1의 Secret Manager에 있는 사본도 삭제할까요? 다른 사람이 필요하면 남겨 두세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete them</source>
        <translation>삭제</translation>
    </message>
</context>
<context>
    <name>LanguagePicker</name>
    <message>
        <location filename="../../gui/language_picker.py" line="+20"/>
        <source>Follow the system</source>
        <translation>시스템 언어 따르기</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The language of T4 Panel&apos;s windows. A change takes effect the next time T4 Panel starts.</source>
        <translation>T4 Panel 화면의 언어입니다. 바꾸면 T4 Panel을 다음에 시작할 때 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message>
        <location filename="../../gui/log_view.py" line="+102"/>
        <source>Search the log (shows matching lines only)</source>
        <translation>로그 검색 (일치하는 줄만 표시)</translation>
    </message>
    <message numerus="yes">
        <location line="+43"/>
        <source>%n line(s)</source>
        <translation>
            <numerusform>%n줄</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <location filename="../../gui/logs_page.py" line="+48"/>
        <source>&lt;h2&gt;Log&lt;/h2&gt;No run yet.</source>
        <extracomment>How often a running job&apos;s usage is read again (Monitoring samples once a minute).</extracomment>
        <translation>&lt;h2&gt;로그&lt;/h2&gt;아직 실행이 없습니다.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Times are in %1.</source>
        <translation>시간은 %1 기준입니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;h2&gt;Log&lt;/h2&gt;Run %1 (live)</source>
        <translation>&lt;h2&gt;로그&lt;/h2&gt;실행 %1 (실시간)</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>&lt;h2&gt;Log&lt;/h2&gt;Run %1 (%2)</source>
        <translation>&lt;h2&gt;로그&lt;/h2&gt;실행 %1 (%2)</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>GPU usage could not be read.</source>
        <translation>GPU 사용량을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>This run wrote no log lines.</source>
        <translation>이 실행은 로그를 남기지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../gui/main_window.py" line="+114"/>
        <source>Quit T4 Panel?</source>
        <translation>T4 Panel을 종료할까요?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no system tray here, so closing the window quits T4 Panel and scheduled runs will not start until you open it again. A run already going continues. Quit?</source>
        <translation>시스템 트레이가 없어서 창을 닫으면 T4 Panel이 종료되고, 다시 열 때까지 예약 실행이 시작되지 않습니다. 이미 진행 중인 실행은 계속됩니다. 종료할까요?</translation>
    </message>
</context>
<context>
    <name>PanelApp</name>
    <message>
        <location filename="../../gui/app.py" line="+68"/>
        <source>Dashboard</source>
        <translation>대시보드</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Job</source>
        <translation>작업</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schedule</source>
        <translation>스케줄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logs</source>
        <translation>로그</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>실행 기록</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cost</source>
        <translation>비용</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Schedule: handled elsewhere. %1</source>
        <translation>스케줄: 다른 곳에서 처리 중입니다. %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Next run: no schedule yet</source>
        <translation>다음 실행: 아직 스케줄 없음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next run: %1</source>
        <translation>다음 실행: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(started by Google Cloud)</source>
        <translation>(Google Cloud가 시작)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Cloud schedule updated</source>
        <translation>클라우드 일정이 업데이트되었습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cloud schedule already up to date</source>
        <translation>클라우드 일정이 이미 최신입니다</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cloud schedule not updated: %1</source>
        <translation>클라우드 일정을 업데이트하지 못했습니다: %1</translation>
    </message>
    <message>
        <location line="+110"/>
        <source>Run anyway?</source>
        <translation>그래도 실행할까요?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start the run anyway?</source>
        <translation>그래도 실행을 시작할까요?</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Sign in again</source>
        <translation>다시 로그인</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Settings</source>
        <translation>설정 열기</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>T4 Panel</source>
        <translation>T4 Panel</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run %1 starting…</source>
        <translation>실행 %1 시작 중…</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Monthly budget</source>
        <translation>월 예산</translation>
    </message>
</context>
<context>
    <name>RunAttempts</name>
    <message>
        <location filename="../../gui/run_attempts.py" line="+23"/>
        <source>Spot</source>
        <translation>Spot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>on demand</source>
        <translation>온디맨드</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>nothing (it never started)</source>
        <translation>없음 (시작되지 않음)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; then </source>
        <translation>; 다음 </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no Spot T4 in %1</source>
        <translation>%1에 남은 Spot T4 없음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no T4 in %1</source>
        <translation>%1에 남은 T4 없음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Spot was preempted in %1</source>
        <translation>%1에서 Spot이 중단됨</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vertex AI was busy in %1</source>
        <translation>%1에서 Vertex AI가 응답하지 않음</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>again</source>
        <translation>같은 곳</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>attempt %1 of the %2 run: %3, trying %4 at %5</source>
        <translation>%2 실행의 시도 %1: %3 → %5에 %4에서 시도</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>trying again at %1</source>
        <translation>%1에 다시 시도</translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <location filename="../../gui/run_texts.py" line="+30"/>
        <source>Starting…</source>
        <translation>시작 중…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queued</source>
        <translation>대기열에 있음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting for a GPU</source>
        <translation>GPU 대기 중</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelling…</source>
        <translation>취소 중…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Succeeded</source>
        <translation>성공</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired</source>
        <translation>시간 초과</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused</source>
        <translation>일시 중지됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updating</source>
        <translation>업데이트 중</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Partly succeeded</source>
        <translation>일부 성공</translation>
    </message>
</context>
<context>
    <name>RunSummary</name>
    <message>
        <location line="+130"/>
        <source>The job</source>
        <translation>작업</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, about $%1</source>
        <translation> · 약 $%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 finished</source>
        <translation>%1 완료</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run %1 succeeded on this computer</source>
        <translation>실행 %1 성공 (이 컴퓨터)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run %1 succeeded on Vertex AI</source>
        <translation>실행 %1 성공 (Vertex AI)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> in %1</source>
        <translation> · %1 소요</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 cancelled</source>
        <translation>%1 취소됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run %1 was cancelled</source>
        <translation>실행 %1 취소됨</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 failed</source>
        <translation>%1 실패</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run %1 ended (%2) on this computer.</source>
        <translation>실행 %1 종료 (%2, 이 컴퓨터).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run %1 ended (%2) on Vertex AI.</source>
        <translation>실행 %1 종료 (%2, Vertex AI).</translation>
    </message>
</context>
<context>
    <name>RunTrigger</name>
    <message>
        <location line="-30"/>
        <source>Run Now</source>
        <translation>지금 실행</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schedule</source>
        <translation>스케줄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catch-up</source>
        <translation>놓친 실행 보충</translation>
    </message>
</context>
<context>
    <name>SaveBar</name>
    <message>
        <location filename="../../gui/form_parts.py" line="+40"/>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Undo changes</source>
        <translation>변경 취소</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Fix the fields marked in red to save.</source>
        <translation>저장하려면 빨간색으로 표시된 항목을 고치세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The saved settings have problems, marked in red. Check those fields; Save writes what you see here.</source>
        <translation>저장된 설정에 문제가 있어 빨간색으로 표시했습니다. 해당 항목을 확인해 주세요. 저장하면 지금 화면에 보이는 값이 기록됩니다.</translation>
    </message>
</context>
<context>
    <name>SchedulePage</name>
    <message>
        <location filename="../../gui/schedule_page.py" line="+74"/>
        <source>Run the job on this schedule</source>
        <translation>이 스케줄에 따라 작업 실행</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Type part of a city, e.g. Seoul or New_York. The job runs at this zone&apos;s local time, daylight saving included.</source>
        <translation>도시 이름의 일부를 입력하세요 (예: Seoul, New_York). 작업은 이 시간대의 현지 시각(서머타임 포함)에 실행됩니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> h</source>
        <translation>시간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If the computer was off or asleep at run time, the missed run still starts when it comes back within this many hours. Older ones are recorded as missed and you are told.</source>
        <translation>실행 시각에 컴퓨터가 꺼져 있거나 절전 중이었다면, 이 시간 안에 다시 켜질 때 놓친 실행을 시작합니다. 더 오래된 것은 놓친 실행으로 기록하고 알려 드립니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time of day</source>
        <translation>실행 시각</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Days</source>
        <translation>요일</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time zone</source>
        <translation>시간대</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catch up missed runs within</source>
        <translation>놓친 실행 보충 기한</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&lt;h2&gt;Schedule&lt;/h2&gt;When the job runs by itself, every chosen day.</source>
        <translation>&lt;h2&gt;스케줄&lt;/h2&gt;선택한 요일마다 작업이 자동으로 실행되는 시각입니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Next runs&lt;/b&gt;</source>
        <translation>&lt;b&gt;다음 실행 예정&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>In {zone}</source>
        <translation>{zone} 기준</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On this computer</source>
        <translation>이 컴퓨터 기준</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Pick at least one day and a valid time zone to see the next runs.</source>
        <translation>다음 실행 예정을 보려면 요일을 하나 이상 고르고 올바른 시간대를 입력하세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The schedule is off. When on, the next run would be {when}.</source>
        <translation>스케줄이 꺼져 있습니다. 켜면 다음 실행은 {when}입니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next run: {when}</source>
        <translation>다음 실행: {when}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Saved. The schedule applies at once.</source>
        <translation>저장했습니다. 스케줄이 바로 적용됩니다.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Settings of other pages that had problems were set back to their defaults: %1.</source>
        <translation>다른 페이지에서 문제가 있던 설정은 기본값으로 되돌렸습니다: %1.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../gui/settings_page.py" line="+76"/>
        <source>&lt;h2&gt;Settings&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;설정&lt;/h2&gt;</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Google account</source>
        <translation>Google 계정</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+13"/>
        <location line="+177"/>
        <source>Sign in with Google</source>
        <translation>Google로 로그인</translation>
    </message>
    <message>
        <location line="-189"/>
        <location line="+141"/>
        <source>Application Default Credentials (gcloud)</source>
        <translation>애플리케이션 기본 사용자 인증 정보 (gcloud)</translation>
    </message>
    <message>
        <location line="-140"/>
        <source>Service-account key file</source>
        <translation>서비스 계정 키 파일</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>How to sign in</source>
        <translation>로그인 방법</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only the path is saved, never the key</source>
        <translation>파일 경로만 저장하며 키 자체는 저장하지 않습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key file</source>
        <translation>키 파일</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Choose...</source>
        <translation>선택...</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sign out</source>
        <translation>로그아웃</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Checking...</source>
        <translation>확인 중...</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>List my projects</source>
        <translation>내 프로젝트 목록 보기</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use this project</source>
        <translation>이 프로젝트 사용</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Google Cloud project</source>
        <translation>Google Cloud 프로젝트</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Supabase</source>
        <translation>Supabase</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Project URL</source>
        <translation>프로젝트 URL</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+247"/>
        <source>Show</source>
        <translation>보기</translation>
    </message>
    <message>
        <location line="-241"/>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The table your job writes, e.g. predictions</source>
        <translation>작업이 결과를 쓰는 테이블 (예: predictions)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Results table</source>
        <translation>결과 테이블</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test connection</source>
        <translation>연결 테스트</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Where secrets are kept</source>
        <translation>비밀 정보 보관 위치</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checking the keyring...</source>
        <translation>키링을 확인하는 중...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keep for this session only</source>
        <translation>이번 세션에만 보관</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep secrets in memory until T4 Panel closes; nothing is written.</source>
        <translation>T4 Panel을 닫을 때까지 비밀 정보를 메모리에만 보관하며, 어디에도 기록하지 않습니다.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>found</source>
        <translation>찾음</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not set up</source>
        <translation>설정되지 않음</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Secrets are kept in: %1</source>
        <translation>비밀 정보 보관 위치: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Signed in as %1.</source>
        <translation>%1 계정으로 로그인했습니다.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>a Google account</source>
        <translation>Google 계정</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not signed in. Sign in to run on Vertex AI, or keep running on this computer.</source>
        <translation>로그인하지 않았습니다. Vertex AI에서 실행하려면 로그인하고, 아니면 이 컴퓨터에서 계속 실행하세요.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Check and use</source>
        <translation>확인 후 사용</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose a JSON file</source>
        <translation>JSON 파일 선택</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON files (*.json)</source>
        <translation>JSON 파일 (*.json)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Checking the credentials...</source>
        <translation>사용자 인증 정보를 확인하는 중...</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Using %1.</source>
        <translation>%1 사용 중.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Using Application Default Credentials.</source>
        <translation>애플리케이션 기본 사용자 인증 정보를 사용 중입니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Waiting for the browser... Finish signing in there. If no browser opened, &lt;a href=&quot;%1&quot;&gt;open the sign-in page&lt;/a&gt;.</source>
        <translation>브라우저를 기다리는 중... 브라우저에서 로그인을 마치세요. 브라우저가 열리지 않았다면 &lt;a href=&quot;%1&quot;&gt;로그인 페이지를 여세요&lt;/a&gt;.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Waiting for the browser...</source>
        <translation>브라우저를 기다리는 중...</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Sign-in cancelled.</source>
        <translation>로그인을 취소했습니다.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Hide</source>
        <translation>숨기기</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The Supabase URL must be your project&apos;s address, such as https://abcd1234.supabase.co (Supabase dashboard, Project Settings, API). Nothing was saved.</source>
        <translation>Supabase URL은 https://abcd1234.supabase.co 와 같은 프로젝트 주소여야 합니다 (Supabase 대시보드의 Project Settings, API). 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Saved. Kept in: %1.</source>
        <translation>저장했습니다. 보관 위치: %1.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not save.</source>
        <translation>저장하지 못했습니다.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Secret Manager still holds the old keys: %1</source>
        <translation>Secret Manager에는 아직 이전 키가 있습니다: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Secret Manager in project %1 has the new keys too.</source>
        <translation>프로젝트 %1의 Secret Manager에도 새 키가 들어갔습니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Testing the connection...</source>
        <translation>연결을 테스트하는 중...</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The test failed.</source>
        <translation>테스트에 실패했습니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Secrets are kept for this session only (in memory); they are forgotten when T4 Panel closes.</source>
        <translation>비밀 정보를 이번 세션에만 (메모리에) 보관합니다. T4 Panel을 닫으면 지워집니다.</translation>
    </message>
</context>
<context>
    <name>SetupCheckPanel</name>
    <message>
        <location filename="../../gui/setup_check_panel.py" line="+48"/>
        <source>Check my setup</source>
        <translation>내 설정 확인</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask Google, Supabase and this computer whether the next run can start.</source>
        <translation>다음 실행을 시작할 수 있는지 Google, Supabase와 이 컴퓨터에 확인합니다.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Checking…</source>
        <translation>확인하는 중…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Fix: </source>
        <translation>해결 방법: </translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>%n problem(s)</source>
        <translation>
            <numerusform>문제 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n warning(s)</source>
        <translation>
            <numerusform>경고 %n개</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The check could not finish. The app log has the details.</source>
        <translation>확인을 마치지 못했습니다. 자세한 내용은 앱 로그에 있습니다.</translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <location filename="../../gui/run_texts.py" line="-108"/>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+58"/>
        <source>%1 h %2 min</source>
        <translation>%1시간 %2분</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>%1 min %2 s</source>
        <translation>%1분 %2초</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>less than a minute</source>
        <translation>1분 미만</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 d %2 h</source>
        <translation>%1일 %2시간</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 d</source>
        <translation>%1일</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 h</source>
        <translation>%1시간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 min</source>
        <translation>%1분</translation>
    </message>
    <message>
        <location filename="../../gui/day_strip.py" line="-150"/>
        <location filename="../../gui/run_texts.py" line="+5"/>
        <source>ddd d MMM</source>
        <translation>M월 d일 (ddd)</translation>
    </message>
    <message>
        <location filename="../../gui/run_texts.py" line="+13"/>
        <source>No scheduled run</source>
        <translation>예약된 실행 없음</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tomorrow</source>
        <translation>내일</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>now</source>
        <translation>지금</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>in %1</source>
        <translation>%1 후</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2, %3</source>
        <translation>%1 %2, %3</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../gui/tray.py" line="+38"/>
        <source>Open T4 Panel</source>
        <translation>T4 Panel 열기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run Now</source>
        <translation>지금 실행</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>T4 Panel is still running</source>
        <translation>T4 Panel이 계속 실행 중입니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It keeps running in the system tray, so scheduled runs still start. Choose Quit in the tray menu to end it.</source>
        <translation>시스템 트레이에서 계속 실행되므로 예약 실행도 그대로 시작됩니다. 완전히 끄려면 트레이 메뉴에서 종료를 고르세요.</translation>
    </message>
</context>
<context>
    <name>UsageChart</name>
    <message>
        <location filename="../../gui/usage_chart.py" line="+47"/>
        <source>Cloud Monitoring has no figures for this run yet.</source>
        <translation>Cloud Monitoring에 이 실행의 수치가 아직 없습니다.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No GPU figures for this run in Cloud Monitoring.</source>
        <translation>Cloud Monitoring에 이 실행의 GPU 수치가 없습니다.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The T4 at work (percent of what was allocated)</source>
        <translation>T4 작업량 (할당량 대비 백분율)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>minutes</source>
        <translation>분</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GPU memory</source>
        <translation>GPU 메모리</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
</context>
<context>
    <name>WeekdayPicker</name>
    <message>
        <location filename="../../gui/form_parts.py" line="-37"/>
        <source>Mon</source>
        <translation>월</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tue</source>
        <translation>화</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wed</source>
        <translation>수</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thu</source>
        <translation>목</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fri</source>
        <translation>금</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sat</source>
        <translation>토</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sun</source>
        <translation>일</translation>
    </message>
</context>
<context>
    <name>_JobPage</name>
    <message>
        <location filename="../../gui/first_run.py" line="-168"/>
        <source>The job</source>
        <translation>작업</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+60"/>
        <source>What runs and on which GPU machine. The Job page has every detail.</source>
        <translation>무엇을 어떤 GPU 머신에서 실행할지 정합니다. 자세한 항목은 작업 페이지에 있습니다.</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>The container image with your predict job. Only used on Google Cloud.</source>
        <translation>예측 작업이 든 컨테이너 이미지입니다. Google Cloud에서 실행할 때만 쓰입니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>T4 GPUs attach to N1 machines only. n1-standard-4 has 4 vCPUs and 15 GB.</source>
        <translation>T4 GPU는 N1 머신에만 연결됩니다. n1-standard-4는 vCPU 4개, 메모리 15 GB입니다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>none (CPU only)</source>
        <translation>없음 (GPU 없이 실행)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How many T4 GPUs the machine gets: 1, 2 or 4.</source>
        <translation>머신에 붙일 T4 GPU 수: 1, 2 또는 4.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use Spot GPUs (much cheaper, may be interrupted)</source>
        <translation>Spot GPU 사용 (훨씬 저렴하지만 중단될 수 있음)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> min</source>
        <translation>분</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The job is stopped after this long, so a stuck job can never cost more.</source>
        <translation>이 시간이 지나면 작업이 중지되므로, 멈춘 작업 때문에 비용이 더 나오지 않습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Container image</source>
        <translation>컨테이너 이미지</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Machine type</source>
        <translation>머신 타입</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T4 GPUs</source>
        <translation>T4 GPU 수</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Max runtime</source>
        <translation>최대 실행 시간</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The sample job runs on this computer. A run that takes longer than this is stopped; the line below says what it would cost on Vertex AI.</source>
        <translation>예제 작업이 이 컴퓨터에서 실행됩니다. 이 시간보다 오래 걸리는 실행은 중지됩니다. 아래 줄은 Vertex AI에서 실행했다면 들었을 비용입니다.</translation>
    </message>
</context>
<context>
    <name>_ProjectPage</name>
    <message>
        <location line="-152"/>
        <source>Google Cloud project and region</source>
        <translation>Google Cloud 프로젝트와 리전</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The project pays for the GPU; the region is where it runs.</source>
        <translation>GPU 비용은 프로젝트에 청구되고, 리전은 실행되는 지역입니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>project ID, e.g. my-team-predict</source>
        <translation>프로젝트 ID (예: my-team-predict)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The project ID shown in the Google Cloud console (lowercase letters, digits and dashes). You can pick it from a list on the Settings page after signing in.</source>
        <translation>Google Cloud 콘솔에 표시되는 프로젝트 ID입니다 (영문 소문자, 숫자, 대시). 로그인한 뒤 설정 페이지의 목록에서 고를 수도 있습니다.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Only regions with T4 GPUs are listed. asia-northeast3 is Seoul.</source>
        <translation>T4 GPU가 있는 리전만 표시됩니다. asia-northeast3이 서울입니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Project</source>
        <translation>프로젝트</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Region</source>
        <translation>리전</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A project ID has 6 to 30 lowercase letters, digits or dashes and starts with a letter.</source>
        <translation>프로젝트 ID는 영문 소문자, 숫자, 대시로 된 6~30자이며 문자로 시작합니다.</translation>
    </message>
</context>
<context>
    <name>_SchedulePage</name>
    <message>
        <location line="+134"/>
        <source>The daily schedule</source>
        <translation>매일 실행 스케줄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When the job runs by itself. You can also press Run Now at any time.</source>
        <translation>작업이 자동으로 실행되는 시각입니다. 언제든 지금 실행을 눌러 바로 실행할 수도 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run the job every day at this time</source>
        <translation>매일 이 시각에 작업 실행</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The time in the time zone below (01:00 Asia/Seoul by default).</source>
        <translation>아래 시간대 기준 시각입니다 (기본값: Asia/Seoul 01:00).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The job runs at this zone&apos;s local time, daylight saving included.</source>
        <translation>작업은 이 시간대의 현지 시각(서머타임 포함)에 실행됩니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time of day</source>
        <translation>실행 시각</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Days</source>
        <translation>요일</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time zone</source>
        <translation>시간대</translation>
    </message>
</context>
<context>
    <name>_SupabasePage</name>
    <message>
        <location line="-148"/>
        <source>Supabase (optional)</source>
        <translation>Supabase (선택)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where the job writes its results. Leave empty to skip; the keys are kept in this computer&apos;s password store, never in a file.</source>
        <translation>작업이 결과를 저장하는 곳입니다. 건너뛰려면 비워 두세요. 키는 파일이 아니라 이 컴퓨터의 암호 저장소에 보관됩니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Project URL from Supabase: Project Settings, API.</source>
        <translation>Supabase의 Project Settings &gt; API에 있는 프로젝트 URL입니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The API key the job uses (SUPABASE_KEY). It is never shown or logged.</source>
        <translation>작업이 쓰는 API 키(SUPABASE_KEY)입니다. 화면이나 로그에 표시되지 않습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>table name, e.g. predictions</source>
        <translation>테이블 이름 (예: predictions)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The table the job writes; Test connection counts its rows.</source>
        <translation>작업이 결과를 쓰는 테이블입니다. 연결 테스트는 이 테이블의 행 수를 셉니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test connection</source>
        <translation>연결 테스트</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Project URL</source>
        <translation>프로젝트 URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Results table</source>
        <translation>결과 테이블</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fill in the URL, the key and the table first.</source>
        <translation>먼저 URL, 키, 테이블을 입력하세요.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Testing the connection...</source>
        <translation>연결을 테스트하는 중...</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The test failed.</source>
        <translation>테스트에 실패했습니다.</translation>
    </message>
</context>
<context>
    <name>_WherePage</name>
    <message>
        <location line="-103"/>
        <source>Where should the job run?</source>
        <translation>작업을 어디에서 실행할까요?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You can change this later on the Job page.</source>
        <translation>나중에 작업 페이지에서 바꿀 수 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Try on this computer (free; runs the sample job here)</source>
        <translation>이 컴퓨터에서 시험 실행 (무료, 예제 작업을 여기서 실행)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing is sent to Google. Good for a first look at how runs, logs and the schedule work.</source>
        <translation>Google로 아무것도 보내지 않습니다. 실행, 로그, 스케줄이 어떻게 동작하는지 처음 살펴보기에 좋습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run on a Google Cloud T4 GPU (Vertex AI; sign in with Google)</source>
        <translation>Google Cloud T4 GPU에서 실행 (Vertex AI, Google 로그인 필요)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The job runs on Google&apos;s GPU machines and is billed to your Google Cloud project. After this guide, sign in on the Settings page.</source>
        <translation>작업이 Google의 GPU 머신에서 실행되며 비용은 Google Cloud 프로젝트에 청구됩니다. 이 안내를 마친 뒤 설정 페이지에서 로그인하세요.</translation>
    </message>
</context>
</TS>
