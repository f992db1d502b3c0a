#!/bin/sh
# One call on a lent GPU machine (see docs/deepfake.md, "Speed"): the batch size that saturates
# the GPU, then retraining the shipped detector on 2 CPU cores (taskset) and the CPU figures on
# the same 2 cores of an otherwise idle machine. Faces are read from $CHANJIAO_FACES_DIR (a copy
# carried in an ignored folder; never committed). Outputs go to ${OUT:-var/device-out}.
OUT=${OUT:-var/device-out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 CHANJIAO_FACES_DIR=${CHANJIAO_FACES_DIR:-$PWD/var/bench/faces}
PY=${PY:-python3}
$PY -c "import cv2, torch; print('cv2', cv2.__version__, 'torch', torch.__version__, torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no cuda')"
# An untrained checkpoint for the GPU sweep (throughput does not depend on the weights).
$PY -c "
from pathlib import Path; import torch
from deepfake.ml import architectures; from deepfake.ml.train import save_weights
save_weights(Path('$OUT/init.pt'), architectures.build('small_cnn', input_size=64), arch='small_cnn', input_size=64, threshold=0.5, name='init')"
echo "== GPU batch sweep"
timeout 60 $PY -m benchmarks.deepfake_throughput --weights "$OUT/init.pt" --device cuda --repeats 2 2>&1 | grep -v "^video"
echo "== retraining on 2 CPU cores"
/usr/bin/time -v taskset -c 0,1 timeout 170 $PY -m deepfake.ml.train --data "$CHANJIAO_FACES_DIR" --out "$OUT/small_cnn_v2" \
    --epochs 10 --no-cross-source --threads 2 2>&1 | grep -E "epoch|done|train_seconds|Elapsed|Maximum resident|auc\"" | tail -40
W="$OUT/small_cnn_v2.pt"; [ -f "$W" ] || W="$OUT/init.pt"
echo "== CPU, 2 cores ($W)"
taskset -c 0,1 timeout 60 $PY -m benchmarks.deepfake_throughput --weights "$W" --device cpu --threads 2 --repeats 2
rm -f "$OUT/init.pt"
