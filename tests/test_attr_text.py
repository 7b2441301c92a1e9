"""Attribute values as short readable text (adapters/attr_text.py), from AttrValue text protos."""

from google.protobuf import text_format
from tensorboard.compat.proto import attr_value_pb2

from tb_scopes_plugin.adapters import attr_text


def text(proto):
    return attr_text.attr_value_text(text_format.Parse(proto, attr_value_pb2.AttrValue()))


def test_scalars_read_as_tensorflow_prints_them():
    assert text("type: DT_FLOAT") == "float32"
    assert text("type: DT_INT64") == "int64"
    assert text("b: true") == "true"
    assert text("i: -3") == "-3"
    assert text("f: 0.1") == "0.1"
    assert text('s: "SAME"') == '"SAME"'
    assert text('func { name: "__inference_step_42" }') == "__inference_step_42"


def test_shapes_use_question_marks_for_what_is_unknown():
    assert text("shape { dim { size: 8 } dim { size: 4 } }") == "[8, 4]"
    assert text("shape { dim { size: -1 } dim { size: 4 } }") == "[?, 4]"
    assert text("shape { unknown_rank: true }") == "?"
    assert text("shape { }") == "[]"  # a scalar


def test_long_strings_and_lists_are_cut():
    long = text(f's: "{"x" * 200}"')
    assert len(long) == attr_text.MAX_TEXT + 2 and long.endswith('…"')
    assert text("list { i: [1, 2, 3] }") == "[1, 2, 3]"
    many = text("list { i: [" + ", ".join(str(i) for i in range(20)) + "] }")
    assert many == "[0, 1, 2, 3, 4, 5, 6, 7, … 12 more]"
    assert text("list { type: [DT_FLOAT, DT_INT32] }") == "[float32, int32]"
    assert text("list { shape { dim { size: -1 } } shape { unknown_rank: true } }") == "[[?], ?]"
    assert text("list { }") == "[]"


def test_tensors_show_tiny_values_and_summarise_the_rest():
    assert text("tensor { dtype: DT_FLOAT tensor_shape { } float_val: 0.5 }") == "0.5 (float32)"
    # A constant filled with one value stores it once (tensor.proto).
    filled = "tensor { dtype: DT_INT32 tensor_shape { dim { size: 3 } } int_val: 7 }"
    assert text(filled) == "[7, 7, 7] (int32)"
    content = "\\001\\000\\000\\000\\002\\000\\000\\000"  # two little-endian int32s
    packed = f'tensor {{ dtype: DT_INT32 tensor_shape {{ dim {{ size: 2 }} }} tensor_content: "{content}" }}'
    assert text(packed) == "[1, 2] (int32)"
    big = "tensor { dtype: DT_FLOAT tensor_shape { dim { size: 1000 } dim { size: 10 } } }"
    assert text(big) == "tensor float32 [1000, 10]"


def test_keras_config_values():
    assert attr_text.value_text({"class_name": "GlorotUniform", "config": {"seed": None}}) == "GlorotUniform"
    policy = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}}
    assert attr_text.value_text(policy) == "mixed_float16"
    assert attr_text.value_text([None, 8]) == "[null, 8]"
    assert attr_text.value_text(True) == "true" and attr_text.value_text("relu") == '"relu"'
    assert attr_text.value_text(list(range(20))) == "[0, 1, 2, 3, 4, 5, 6, 7, … 12 more]"
