//===- TinyLM.h - A tiny language-model training step for tests -*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The manifest of a training step as the compiler's training-step pass
// builds it: embedding -> linear head -> cross-entropy loss, then the
// gradient graph. Tokens feed an [8, 3] embedding, labels a vocabulary of 6
// logits. `dlossSeed` is the fill value that seeds the backward pass (1 is
// right; anything else makes the gradients wrong, for the tests that must
// catch that).
//
//===----------------------------------------------------------------------===//

#ifndef SSM_TEST_UNIT_TINYLM_H
#define SSM_TEST_UNIT_TINYLM_H

#include <string>

inline std::string tinyLMManifest(const std::string &dlossSeed = "1.0") {
  return R"({"format": "ssm-workload", "version": 1, "target": "cpu",
    "module": "tiny_lm", "lowering": {"pipeline": "cpu", "options": {}},
    "entries": [{"name": "lm_step", "symbol": "ssm_entry_lm_step",
      "tensors": [
        {"name": "tokens", "shape": [2,4], "dtype": "i32", "role": "input"},
        {"name": "labels", "shape": [2,4], "dtype": "i32", "role": "input"},
        {"name": "emb_weight", "shape": [8,3], "dtype": "f32",
         "role": "parameter", "init": "normal:0.5"},
        {"name": "head_weight", "shape": [6,3], "dtype": "f32",
         "role": "parameter", "init": "uniform:-0.5:0.5"},
        {"name": "head_bias", "shape": [6], "dtype": "f32",
         "role": "parameter", "init": "zeros"},
        {"name": "loss", "shape": [], "dtype": "f32", "role": "output"},
        {"name": "d_emb_weight", "shape": [8,3], "dtype": "f32",
         "role": "gradient"},
        {"name": "d_head_weight", "shape": [6,3], "dtype": "f32",
         "role": "gradient"},
        {"name": "d_head_bias", "shape": [6], "dtype": "f32",
         "role": "gradient"}],
      "ops": [
        {"op": "ssm.embedding", "operands": ["tokens", "emb_weight"],
         "results": ["%0"]},
        {"op": "ssm.linear", "operands": ["%0", "head_weight", "head_bias"],
         "results": ["%1"]},
        {"op": "ssm.cross_entropy", "operands": ["%1", "labels"],
         "results": ["loss"]},
        {"op": "ssm.fill", "attrs": {"value": ")" +
         dlossSeed + R"(", "shape": ""}, "operands": [], "results": ["%2"]},
        {"op": "ssm.cross_entropy_grad", "operands": ["%1", "labels", "%2"],
         "results": ["%3"]},
        {"op": "ssm.linear_grad",
         "operands": ["%0", "head_weight", "head_bias", "%3"],
         "results": ["%4", "d_head_weight", "d_head_bias"]},
        {"op": "ssm.embedding_grad", "operands": ["tokens", "emb_weight", "%4"],
         "results": ["d_emb_weight"]}]}]})";
}

#endif // SSM_TEST_UNIT_TINYLM_H
