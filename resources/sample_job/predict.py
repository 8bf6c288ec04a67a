"""Sample job: a stand-in for the team's predict.py. Prints progress for about 20 s and exits 0.

Settings through the environment: SAMPLE_JOB_SECONDS (default 20), SAMPLE_JOB_EXIT (exit code, default 0).
It never prints the Supabase values it may receive; it only says whether they are set.
"""

import os
import sys
import time

seconds = float(os.environ.get("SAMPLE_JOB_SECONDS", "20"))
exit_code = int(os.environ.get("SAMPLE_JOB_EXIT", "0"))
steps = 10
print(f"predict: starting sample prediction job ({seconds:g} s)", flush=True)
print("predict: Supabase credentials " + ("received" if os.environ.get("SUPABASE_KEY") else "not set"), flush=True)
for step in range(1, steps + 1):
    time.sleep(seconds / steps)
    print(f"predict: batch {step}/{steps} done ({step * 100 // steps}%)", flush=True)
if exit_code:
    print(f"predict: error: sample job asked to fail with code {exit_code}", file=sys.stderr, flush=True)
else:
    print("predict: wrote predictions, finished", flush=True)
sys.exit(exit_code)
