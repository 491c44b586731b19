// The SHA-256 of every dataset of ArithmeticCheck's runs, `<step>/<group>/<dataset> <digest>`
// a line, sorted. Written by `swift run experiments verify --print-digests` and checked by
// `experiments verify` and ArithmeticCheckTests on every path a machine runs. Produced on an
// AMD EPYC Zen 4 (family 25 model 17), where the avx512, avx2 and baseline paths all gave
// these digests. Regenerate them only when the engine's arithmetic changes on purpose (and
// raise Engine.version then).
let committedDigests = """
"""
