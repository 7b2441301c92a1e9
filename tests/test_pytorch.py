"""PyTorch graphs written by `add_graph` (torch.utils.tensorboard and tensorboardX), read by the
plugin without torch, against PyTorch's own truth: `named_parameters()` and the parameter total."""

import pytest

from tb_scopes_plugin import cli
from tb_scopes_plugin.adapters import pytorch
from tests import torch_models

WRITERS = sorted(torch_models.WRITERS)


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    root = tmp_path_factory.mktemp("pytorch")
    truth = {}
    for name in torch_models.MODELS:
        for writer in WRITERS:
            truth[f"{name}_{writer}"] = torch_models.write(root, name, writer)
    torch_models.write(root, "gpt2", "torch", log_parameters=False, run="gpt2_graph_only")
    torch_models.write(root, "bert", "torch", log_parameters=False, run="bert_graph_only")
    torch_models.write(root, "resnet_like", "tensorboardx", log_parameters=False, run="resnet_graph_only")
    torch_models.write(root, "up_down", "torch", log_parameters=False, run="up_down_graph_only")
    for name in torch_models.GRAPH_ONLY:
        truth[name] = torch_models.write(root, name, "torch", log_parameters=False, run=f"{name}_graph_only")
    for writer in WRITERS:
        truth[f"unused_head_{writer}"] = torch_models.write(root, "unused_head", writer)
    for name in torch_models.BY_DESIGN:
        torch_models.write(root, name, "torch", log_parameters=False, run=f"{name}_graph_only")
    reports, problems = cli.load_reports(str(root))
    assert problems == []
    return {r.ref.run: r for r in reports}, truth


def by_name(report):
    return {v.name: v for v in report.variables}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("name", sorted(torch_models.MODELS))
def test_names_and_totals_are_pytorch_own(logged, name, writer):
    reports, truth = logged
    run = f"{name}_{writer}"
    report, expected = reports[run], truth[run]
    assert report.framework == "pytorch" and report.warnings == []
    assert sorted(by_name(report)) == expected["names"]
    assert report.total_params == expected["params"]


def test_the_resnet_like_net_has_62_parameters_none_shared(logged):
    reports, truth = logged
    report = reports["resnet_like_torch"]
    assert truth["resnet_like_torch"]["tensors"] == 62 and len(report.variables) == 62
    assert {v.status for v in report.variables} == {"unshared"}
    assert report.findings == [] or all(f.severity == "note" for f in report.findings)
    running = {v.name for v in report.machinery}
    assert "blocks.0.bn1.running_mean" in running  # buffers: state, not parameters


@pytest.mark.parametrize("writer", WRITERS)
def test_bert_buffers_are_state_and_its_decoder_reuses_the_word_embeddings(logged, writer):
    """The graph reads `position_ids` exactly as it reads a weight: the logged buffers tell them apart."""
    reports, _ = logged
    report = reports[f"bert_{writer}"]
    kinds = {v.name: v.machinery for v in report.machinery}
    for buffer in ("position_ids", "token_type_ids"):
        assert kinds[f"model.bert.embeddings.{buffer}"] == "buffer"
    words = by_name(report)["model.bert.embeddings.word_embeddings.weight"]
    assert words.status == "shared" and words.shape == [50, 16]
    assert {use.status for use in words.uses.values()} == {"created", "reused"}
    assert [f for f in report.findings if f.severity == "bug"] == []


@pytest.mark.parametrize("writer", WRITERS)
def test_t5_shared_embedding_is_reused_by_the_encoder_the_decoder_and_the_head(logged, writer):
    reports, _ = logged
    shared = by_name(reports[f"t5_{writer}"])["model.shared.weight"]
    sites = sorted(shared.uses)
    assert shared.status == "shared" and len(sites) == 3, sites
    assert [site.split("/")[2:] for site in sites] == [
        ["Linear[lm_head]"],
        ["T5Stack[decoder]", "Embedding[embed_tokens]"],
        ["T5Stack[encoder]", "Embedding[embed_tokens]"],
    ]
    assert {use.status for use in shared.uses.values()} == {"created", "reused"}


@pytest.mark.parametrize("writer", WRITERS)
def test_gpt2_tied_embedding_is_one_weight_reused_by_the_lm_head(logged, writer):
    reports, _ = logged
    report = reports[f"gpt2_{writer}"]
    wte = by_name(report)["model.transformer.wte.weight"]
    assert "model.lm_head.weight" not in by_name(report)  # tied: one variable, as named_parameters() has it
    assert wte.status == "shared" and wte.shape == [64, 16]
    sites = {use.call_site: use.status for use in wte.uses.values()}
    assert sites == {
        "LogitsOnly/GPT2LMHeadModel[model]/GPT2Model[transformer]/Embedding[wte]": "created",
        "LogitsOnly/GPT2LMHeadModel[model]/Linear[lm_head]": "reused",
    }
    assert [v.name for v in report.variables if v.status == "shared"] == ["model.transformer.wte.weight"]
    assert [f for f in report.findings if f.severity == "bug"] == []


@pytest.mark.parametrize("writer", WRITERS)
def test_albert_layer_group_is_shared_by_every_layer_with_no_finding(logged, writer):
    """ALBERT runs one layer's weights in each of its 3 layers: shared by design, one use per layer."""
    report = logged[0][f"albert_{writer}"]
    layer = "model.albert.encoder.albert_layer_groups.0.albert_layers.0."
    in_layer = [v for v in report.variables if v.name.startswith(layer)]
    assert len(in_layer) == 16  # attention q, k, v, dense, LayerNorm; ffn, ffn_output; full LayerNorm
    assert {(v.status, len(v.uses)) for v in in_layer} == {("shared", 3)}
    embeddings = by_name(report)["model.albert.embeddings.word_embeddings.weight"]
    assert embeddings.status == "shared" and len(embeddings.uses) == 2  # the lookup and the tied decoder
    assert [f for f in report.findings if f.severity == "bug"] == []


def test_without_the_helper_integer_buffers_are_not_taken_for_weights(logged):
    """add_graph alone: BERT's `position_ids` and `token_type_ids` reach an embedding's indices,
    so they hold integers and are buffers; the weights are named_parameters() exactly."""
    reports, truth = logged
    report = reports["bert_graph_only"]
    assert sorted(by_name(report)) == truth["bert_torch"]["names"]
    buffers = {
        v.name: v.machinery for v in report.machinery if v.name.endswith(("position_ids", "token_type_ids"))
    }
    assert buffers == {
        "model.bert.embeddings.position_ids": "buffer",
        "model.bert.embeddings.token_type_ids": "buffer",
    }


@pytest.mark.parametrize("name, buffer", [
    ("roberta", "model.roberta.embeddings.token_type_ids"),  # through aten::to, expand, gather
    ("swin", "model.swin.encoder.layers.0.blocks.0.attention.relative_position_bias.relative_position_index"),
    ("gpt_neo", "model.transformer.h.1.attn.attention.bias"),  # a boolean mask, sliced into aten::where
])  # fmt: skip
def test_without_the_helper_integer_buffers_reaching_indices_another_way_are_buffers(logged, name, buffer):
    """RoBERTa casts its `token_type_ids` on the way to the embedding, Swin indexes its bias
    table with `relative_position_index` inside a list of index tensors, and GPT-Neo's causal
    mask picks between scores and a fill value in `aten::where`: all three are buffers."""
    reports, truth = logged
    report = reports[f"{name}_graph_only"]
    assert {v.name: v.machinery for v in report.machinery if v.name == buffer} == {buffer: "buffer"}
    weights = set(by_name(report))
    assert buffer not in weights
    assert set(truth[name]["names"]) <= weights  # float buffers (Swin has none here) may add more


def test_without_the_helper_shapes_come_from_the_graph_where_it_has_them(logged):
    """add_graph alone: a Linear's or a norm's shape follows from its consumer, an embedding's only
    in part (its width, not its vocabulary) unless a Linear reads it too."""
    reports, truth = logged
    report = reports["gpt2_graph_only"]
    assert sorted(by_name(report)) == truth["gpt2_torch"]["names"]
    wte = by_name(report)["model.transformer.wte.weight"]
    assert wte.shape == [64, 16]  # the tied lm_head Linear's output fixes it
    wpe = by_name(report)["model.transformer.wpe.weight"]
    assert wpe.shape == [-1, 16] and wpe.params is None
    # transformers' Conv1D computes addmm(bias, x, weight): its weight is [in, out], not a Linear's.
    c_attn = {n: v.shape for n, v in by_name(report).items() if ".attn.c_attn." in n or ".mlp.c_proj." in n}
    assert c_attn == {
        "model.transformer.h.0.attn.c_attn.weight": [16, 48], "model.transformer.h.0.attn.c_attn.bias": [48],
        "model.transformer.h.0.mlp.c_proj.weight": [64, 16], "model.transformer.h.0.mlp.c_proj.bias": [16],
        "model.transformer.h.1.attn.c_attn.weight": [16, 48], "model.transformer.h.1.attn.c_attn.bias": [48],
        "model.transformer.h.1.mlp.c_proj.weight": [64, 16], "model.transformer.h.1.mlp.c_proj.bias": [16],
    }  # fmt: skip
    # Only the position embedding's vocabulary is missing: 16 positions of width 16.
    assert report.total_params == truth["gpt2_torch"]["params"] - 16 * 16
    # A convolution's output channels, not its kernel (a constant the graph keeps as text).
    convs = by_name(reports["resnet_graph_only"])
    assert convs["stem.weight"].shape == [8, -1, -1, -1] and convs["blocks.0.conv1.weight"].shape[0] == 16
    assert convs["bn.weight"].shape == [8] and convs["fc.weight"].shape == [10, 48]
    # A transposed convolution's weight is [in, out / groups, *kernel] (torch.nn.ConvTranspose2d).
    shapes = {name: v.shape for name, v in by_name(reports["up_down_graph_only"]).items()}
    assert shapes == {
        "up.weight": [3, -1, -1, -1], "up.bias": [5], "down.weight": [2, -1, -1, -1], "down.bias": [2],
    }  # fmt: skip


@pytest.mark.parametrize("writer", WRITERS)
def test_a_module_called_twice_is_shared_with_one_use_per_call(logged, writer):
    reports, _ = logged
    report = reports[f"siamese_shared_{writer}"]
    fc1 = by_name(report)["left.fc1.weight"]
    assert fc1.status == "shared"
    assert {key: use.status for key, use in fc1.uses.items()} == {
        "Siamese/Tower[left]/Linear[fc1]": "created",
        "Siamese/Tower[left]/Linear[fc1] (call 2)": "reused",
    }
    assert report.findings == []


@pytest.mark.parametrize("writer", WRITERS)
def test_a_block_held_twice_in_a_module_list_is_owned_where_it_runs(logged, writer):
    """An nn.ModuleList is never called: the tracer names the GetAttr of `blocks.0.fc.weight`
    through it (`ListReuse/ModuleList[blocks]/Step[0]/...`) and the ops that run it without it
    (`ListReuse/Step[0]/...`). The weight is owned where its module runs, and shared by the
    two runs, as the ModuleList holds one module twice."""
    reports, truth = logged
    report = reports[f"list_reuse_{writer}"]
    fc = by_name(report)["blocks.0.fc.weight"]
    assert fc.owner_scope == "ListReuse/Step[0]/Linear[fc]"
    assert fc.status == "shared" and sorted(fc.uses) == [
        "ListReuse/Step[0]/Linear[fc]", "ListReuse/Step[0]/Linear[fc] (call 2)",
    ]  # fmt: skip
    assert [f for f in report.findings if f.severity == "bug"] == []
    # Owned and used in one scope, where the tab draws the weight beside its ops.
    scopes = {scope: (owned, used) for scope, owned, used in report.scopes}
    assert "ListReuse/ModuleList[blocks]" not in scopes
    assert scopes["ListReuse/Step[0]"] == (72, 72)


@pytest.mark.parametrize("writer", WRITERS)
def test_every_bert_weight_is_owned_where_its_layer_runs(logged, writer):
    """BERT's layers sit in `encoder.layer`, an nn.ModuleList: each weight's first use is inside
    its owner scope (the tied decoder's is the word embeddings' lookup)."""
    reports, _ = logged
    report = reports[f"bert_{writer}"]
    for v in report.variables:
        first = next(iter(v.uses.values())).call_site
        assert first == v.owner_scope or first.startswith(v.owner_scope + "/"), (v.name, v.owner_scope, first)


@pytest.mark.parametrize("writer", WRITERS)
def test_a_deep_copied_tower_is_a_missed_sharing(logged, writer):
    reports, _ = logged
    report = reports[f"siamese_deepcopy_{writer}"]
    (bug,) = [f for f in report.findings if f.severity == "bug"]
    assert bug.kind == "possible_missed_sharing"
    assert bug.message.startswith("left and right look like copies of one another: 8 look-alike weights")
    assert bug.fix == (
        "apply one module to both inputs (a second instance, or a copy.deepcopy, has parameters of its own)"
    )
    assert {v.status for v in report.variables} == {"unshared"}


@pytest.mark.parametrize("writer", WRITERS)
def test_deep_copies_scored_batch_against_batch_are_a_missed_sharing(logged, writer):
    """`left(a) @ right(b).T`: one more op, the transpose, on the right before the two meet."""
    reports, _ = logged
    (bug,) = [f for f in reports[f"siamese_deepcopy_in_batch_{writer}"].findings if f.severity == "bug"]
    assert bug.message.startswith("left and right look like copies of one another: 8 look-alike weights")
    assert "neither feeds the other and their outputs meet again at InBatchSiamese/" in bug.evidence[-2]
    assert bug.evidence[-2].endswith("(aten::matmul): parallel copies")
    assert bug.evidence[0] == (
        "left.fc1.bias, right.fc1.bias: same shape [8], dtype float32, "
        "read by the same kinds of ops (aten::linear)"
    )


@pytest.mark.parametrize("run", [f"dpr_{w}" for w in WRITERS])
def test_a_dual_encoder_named_for_its_roles_is_a_note(logged, run):
    """DPR's question and context encoders are alike, on different inputs, and meet at the score:
    from the graph, copies. Their names give them roles, so they are a note, not a bug."""
    reports, truth = logged
    (note,) = [
        f for f in reports[run].findings if f.kind == "possible_missed_sharing" and "roles" in f.message
    ]
    assert note.severity == "note"
    assert note.message.startswith("context and question have the same structure and take different inputs")
    # Every weight of both but the attention's query, key and value: parallel layers on one input.
    parallel = (".attention.self.query.", ".attention.self.key.", ".attention.self.value.")
    assert sorted(note.variables) == [n for n in truth[run]["names"] if not any(p in n for p in parallel)]
    assert note.evidence[0].startswith(
        "context.ctx_encoder.bert_model.embeddings.word_embeddings.weight, question."
    )
    assert (
        note.evidence[-1]
        == "their names give them different roles (context and question), not a copy's number or side"
    )


@pytest.mark.parametrize("writer", WRITERS)
def test_a_deep_copied_vit_is_a_missed_sharing_to_its_norms(logged, writer):
    """Every weight of the copied ViT is in the finding, its LayerNorms too, which all read one
    `eps` constant of the tracer's; but not the attention's query, key and value, parallel layers
    on one input by design."""
    reports, truth = logged
    (bug,) = [f for f in reports[f"siamese_vit_deepcopy_{writer}"].findings if f.severity == "bug"]
    parallel = (".attention.q_proj.", ".attention.k_proj.", ".attention.v_proj.")  # transformers 5's names
    copied = [n for n in truth[f"siamese_vit_deepcopy_{writer}"]["names"] if not n.startswith("head.")]
    assert sorted(bug.variables) == sorted(n for n in copied if not any(p in n for p in parallel))
    assert len(bug.variables) == 32 and any("layernorm" in n for n in bug.variables)
    # The tracer names the subtraction by its value: its type says what it is.
    meeting = "their outputs meet again at SiameseViT/input (aten::sub): parallel copies"
    assert f"neither feeds the other and {meeting}" in bug.evidence


@pytest.mark.parametrize("writer", WRITERS)
def test_a_deep_copied_lstm_is_a_missed_sharing(logged, writer):
    """`nn.LSTM` hands its weights to `aten::lstm` in a list: the layer is that op, on its input."""
    reports, truth = logged
    (bug,) = [f for f in reports[f"siamese_lstm_deepcopy_{writer}"].findings if f.severity == "bug"]
    copied = [n for n in truth[f"siamese_lstm_deepcopy_{writer}"]["names"] if not n.startswith("head.")]
    assert sorted(bug.variables) == copied and len(copied) == 8
    assert bug.message.startswith("left and right look like copies of one another: 8 look-alike weights")
    shared = reports[f"siamese_lstm_shared_{writer}"]
    assert shared.findings == []
    lstm = [v for v in shared.variables if v.name.startswith("left.")]
    assert len(lstm) == 4 and {v.status for v in lstm} == {"shared"}
    assert all(len(v.uses) == 2 for v in lstm)  # one use per call, both at `aten::lstm`


@pytest.mark.parametrize(
    "run", [f"{n}_{w}" for n in torch_models.BY_DESIGN for w in WRITERS] + ["two_stream_graph_only"]
)
def test_alike_layers_on_two_inputs_by_design_are_no_bug(logged, run):
    """A two-stream net's convolutions have alike biases, but kernels of different sizes: not copies."""
    reports, _ = logged
    assert [f.message for f in reports[run].findings if f.severity == "bug"] == []


def test_a_shape_known_in_part_makes_a_note_not_a_bug(logged):
    """Without the helper, the graph gives an embedding's width, not its vocabulary: a user and an
    item embedding look alike (`[?, 16]`), which proves nothing, and nor do the alike layers after
    them, whose shapes the graph gives whole."""
    reports, _ = logged
    (note,) = reports["two_tower_graph_only"].findings
    assert note.severity == "note" and sorted(note.variables) == [
        "item.weight", "item_mlp.bias", "item_mlp.weight", "user.weight", "user_mlp.bias", "user_mlp.weight",
    ]  # fmt: skip
    assert "records only part of their shapes" in note.message
    assert "tb_scopes_plugin.summary.torch_parameters" in note.message
    assert note.evidence[0].startswith("item.weight, user.weight: same known dimensions [?, 16]")


def test_tensorflow_graphs_are_not_taken_for_pytorch():
    from tests.logdirs import build_graph

    graph = build_graph("article_reuse").as_graph_def()
    assert not pytorch.looks_like_pytorch(graph)


@pytest.mark.parametrize("writer", WRITERS)
def test_parameters_the_forward_pass_never_reads_are_named_in_a_warning(logged, writer):
    """The graph holds only what the trace ran: the logged parameters say what else the module has."""
    reports, truth = logged
    report = reports[f"unused_head_{writer}"]
    assert sorted(by_name(report)) == ["body.bias", "body.weight"]
    assert truth[f"unused_head_{writer}"]["names"] == ["body.bias", "body.weight", "head.bias", "head.weight"]
    (warning,) = report.warnings
    assert warning.kind == "unread_weights"
    assert warning.message == (
        "2 of the model's weights are never read by this graph (head.bias, head.weight), "
        "so they are not in the report"
    )
