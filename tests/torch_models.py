"""Real PyTorch models for the tests, logged with `add_graph` through torch.utils.tensorboard or
tensorboardX, and the truth PyTorch itself gives: `named_parameters()` and the parameter total.

- a transformers GPT-2 from a tiny config: `lm_head.weight` is tied to `transformer.wte.weight`;
- a transformers BERT masked LM (buffers beside the parameters, a tied decoder) and a T5 (one
  embedding shared by the encoder, the decoder and the LM head), from tiny configs;
- a ResNet-style convnet written here (torchvision's CUDA wheel does not import beside CPU
  torch) with 62 parameter tensors, none shared;
- a siamese net applying one `Tower` module to two inputs (shared, correct);
- the same net with the tower copied by `copy.deepcopy` (the bug: two sets of weights);
- one block held twice in an `nn.ModuleList` and run twice (shared through a container that is
  never called, so the tracer leaves it out of the ops' names);
- a transformers RoBERTa and a Swin, whose integer buffers reach indices through a cast
  (`token_type_ids`) and a list of index tensors (`relative_position_index`);
- an LSTM on two sequences, one module or a deep copy; a two-stream convnet, a two-tower
  recommender and transformers' DPR retriever, alike layers on two inputs by design;
- the deep-copied siamese net scored batch against batch (`left(a) @ right(b).T`).
"""

import copy
import os

import tensorboardX
import torch
import transformers
from torch import nn
from torch.utils import tensorboard as torch_tb

from tb_scopes_plugin import summary

WRITERS = {"torch": torch_tb.SummaryWriter, "tensorboardx": tensorboardX.SummaryWriter}


class Tower(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(10, 8), nn.Linear(8, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class Siamese(nn.Module):
    def __init__(self, copied=False):
        super().__init__()
        self.left = Tower()
        self.right = copy.deepcopy(self.left) if copied else self.left  # deepcopy: the bug
        self.head = nn.Linear(4, 1)

    def forward(self, a, b):
        return self.head(self.left(a) - self.right(b))


class InBatchSiamese(nn.Module):
    """A tower and its deep copy scored as contrastive training scores a batch: every left output
    against every right one, `left(a) @ right(b).T`. The transpose puts one more op on the right."""

    def __init__(self):
        super().__init__()
        self.left = Tower()
        self.right = copy.deepcopy(self.left)

    def forward(self, a, b):
        return self.left(a) @ self.right(b).T


class DPRRetriever(nn.Module):
    """transformers' DPR, by design: a question encoder and a context encoder of one structure,
    made separately (DPRQuestionEncoder, DPRContextEncoder), on questions and passages, scored
    `q @ c.T`. From the graph the two are copies; their names say roles."""

    def __init__(self):
        super().__init__()
        config = transformers.DPRConfig(
            vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
            max_position_embeddings=16,
        )  # fmt: skip
        self.question = transformers.DPRQuestionEncoder(config).eval()
        self.context = transformers.DPRContextEncoder(config).eval()

    def forward(self, questions, passages):
        return (
            self.question(input_ids=questions).pooler_output
            @ self.context(input_ids=passages).pooler_output.T
        )


class SiameseViT(nn.Module):
    """One transformers ViT on two images, or a deep copy on the second (the bug): the tracer hands
    one `eps` constant to every LayerNorm, across both copies."""

    def __init__(self, copied=False):
        super().__init__()
        config = transformers.ViTConfig(
            image_size=16, patch_size=4, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
            intermediate_size=32,
        )  # fmt: skip
        self.left = transformers.ViTModel(config, add_pooling_layer=False)
        self.right = copy.deepcopy(self.left) if copied else self.left
        self.head = nn.Linear(16, 1)

    def forward(self, a, b):
        first = self.left(pixel_values=a).last_hidden_state[:, 0]
        return self.head(first - self.right(pixel_values=b).last_hidden_state[:, 0])


class SiameseLSTM(nn.Module):
    """One LSTM on two sequences, or a deep copy on the second (the bug): `nn.LSTM` hands its
    weights to `aten::lstm` in a list (`prim::ListConstruct`)."""

    def __init__(self, copied=False):
        super().__init__()
        self.left = nn.LSTM(6, 8, batch_first=True)
        self.right = copy.deepcopy(self.left) if copied else self.left
        self.head = nn.Linear(8, 1)

    def forward(self, a, b):
        return self.head(self.left(a)[0][:, -1] - self.right(b)[0][:, -1])


class TwoStream(nn.Module):
    """A two-stream video net, by design: an RGB and an optical-flow convolution of different kernels
    (3 -> 16 channels, 3x3; 2 -> 16, 5x5), fused. Their biases are alike; the layers are not."""

    def __init__(self):
        super().__init__()
        self.rgb, self.flow = nn.Conv2d(3, 16, 3, padding=1), nn.Conv2d(2, 16, 5, padding=2)
        self.head = nn.Linear(16, 1)

    def forward(self, rgb, flow):
        fused = torch.relu(self.rgb(rgb)) + torch.relu(self.flow(flow))
        return self.head(fused.mean((2, 3)))


class TwoTower(nn.Module):
    """A recommender, by design: user and item embeddings of one width (16) and different
    vocabularies (1,000 and 50), which the graph alone does not give, each followed by an alike
    Linear (16 -> 8), which it does."""

    def __init__(self):
        super().__init__()
        self.user, self.item = nn.Embedding(1000, 16), nn.Embedding(50, 16)
        self.user_mlp, self.item_mlp = nn.Linear(16, 8), nn.Linear(16, 8)

    def forward(self, users, items):
        return (self.user_mlp(self.user(users)) * self.item_mlp(self.item(items))).sum(-1)


class Block(nn.Module):
    """A basic residual block: two 3x3 convs with batch norm, a 1x1 projection when the width changes."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout)
        self.project = (
            nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout)) if cin != cout else None
        )

    def forward(self, x):
        h = torch.relu(self.bn1(self.conv1(x)))
        h = self.bn2(self.conv2(h))
        return torch.relu(h + (self.project(x) if self.project is not None else x))


class ResNetLike(nn.Module):
    # 7 blocks, 5 of them widening (9 tensors each) and 2 not (6): with stem and head, 62 tensors.
    def __init__(self, widths=(8, 16, 24, 24, 32, 40, 40, 48), classes=10):
        super().__init__()
        self.stem, self.bn = nn.Conv2d(3, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0])
        self.blocks = nn.Sequential(*[Block(a, b) for a, b in zip(widths[:-1], widths[1:], strict=True)])
        self.fc = nn.Linear(widths[-1], classes)

    def forward(self, x):
        h = self.blocks(torch.relu(self.bn(self.stem(x))))
        return self.fc(h.mean((2, 3)))


class UpDown(nn.Module):
    """A transposed convolution then a convolution: their weights lay out channels the other way round."""

    def __init__(self):
        super().__init__()
        self.up, self.down = nn.ConvTranspose2d(3, 5, 2, stride=2), nn.Conv2d(5, 2, 3)

    def forward(self, x):
        return self.down(torch.relu(self.up(x)))


class Step(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return torch.relu(self.fc(x))


class ListReuse(nn.Module):
    """One Step held twice in an nn.ModuleList (`blocks[0] is blocks[1]`) and run twice."""

    def __init__(self):
        super().__init__()
        self.inp, self.head = nn.Linear(10, 8), nn.Linear(8, 1)
        step = Step()
        self.blocks = nn.ModuleList([step, step])

    def forward(self, x):
        h = self.inp(x)
        for block in self.blocks:
            h = block(h)
        return self.head(h)


class UnusedHead(nn.Module):
    """A head built but never called: the traced graph holds no op of it."""

    def __init__(self):
        super().__init__()
        self.body, self.head = nn.Linear(4, 3), nn.Linear(3, 5)

    def forward(self, x):
        return torch.relu(self.body(x))


class LogitsOnly(nn.Module):
    """GPT-2 and BERT return a dict; add_graph traces tensors only."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, ids):
        return self.model(input_ids=ids).logits


class Seq2Seq(LogitsOnly):
    """A T5: the ids feed the encoder and, shifted by nothing, the decoder."""

    def forward(self, ids):
        return self.model(input_ids=ids, decoder_input_ids=ids).logits


def bert():
    """transformers BERT with an MLM head: `position_ids` and `token_type_ids` are buffers, and the
    head's decoder is tied to the word embeddings."""
    config = transformers.BertConfig(
        vocab_size=50, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=16,
    )  # fmt: skip
    return transformers.BertForMaskedLM(config).eval()


def t5():
    """transformers T5: one `shared` embedding for the encoder, the decoder and the LM head."""
    config = transformers.T5Config(
        vocab_size=50, d_model=16, d_kv=8, d_ff=32, num_layers=2, num_heads=2, decoder_start_token_id=0
    )
    return transformers.T5ForConditionalGeneration(config).eval()


def gpt2():
    config = transformers.GPT2Config(n_layer=2, n_head=2, n_embd=16, vocab_size=64, n_positions=16)
    return transformers.GPT2LMHeadModel(config).eval()


def roberta():
    """transformers RoBERTa: its `token_type_ids` buffer goes through `aten::to` to the embedding."""
    config = transformers.RobertaConfig(
        vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
        max_position_embeddings=24,
    )  # fmt: skip
    return transformers.RobertaForMaskedLM(config).eval()


class PixelsOnly(LogitsOnly):
    """A vision model returns a dict too, and takes pixels."""

    def forward(self, pixels):
        return self.model(pixel_values=pixels).logits


def swin():
    """transformers Swin: `relative_position_index` indexes the bias table through a list."""
    config = transformers.SwinConfig(
        image_size=16, patch_size=4, embed_dim=8, depths=[1], num_heads=[2], window_size=2, num_labels=3
    )
    return transformers.SwinForImageClassification(config).eval()


def albert(layers=3):
    """transformers ALBERT: one layer group whose weights every one of the `layers` layers runs,
    sharing by design (and its MLM decoder tied to the word embeddings)."""
    config = transformers.AlbertConfig(
        vocab_size=50, embedding_size=8, hidden_size=16, num_hidden_layers=layers, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=16,
    )  # fmt: skip
    return transformers.AlbertForMaskedLM(config).eval()


def gpt_neo():
    """transformers GPT-Neo: its causal mask is a boolean `bias` buffer, sliced into `aten::where`."""
    config = transformers.GPTNeoConfig(
        vocab_size=50, hidden_size=16, num_layers=2, num_heads=2, attention_types=[[["global", "local"], 1]],
        max_position_embeddings=16, window_size=4, intermediate_size=32, use_cache=False,
    )  # fmt: skip
    return transformers.GPTNeoForCausalLM(config).eval()


MODELS = {
    "gpt2": (lambda: LogitsOnly(gpt2()), lambda: (torch.zeros(1, 8, dtype=torch.long),)),
    "albert": (lambda: LogitsOnly(albert()), lambda: (torch.zeros(1, 8, dtype=torch.long),)),
    "bert": (lambda: LogitsOnly(bert()), lambda: (torch.zeros(1, 8, dtype=torch.long),)),
    "t5": (lambda: Seq2Seq(t5()), lambda: (torch.zeros(1, 8, dtype=torch.long),)),
    "resnet_like": (lambda: ResNetLike().eval(), lambda: (torch.zeros(1, 3, 16, 16),)),
    "up_down": (UpDown, lambda: (torch.zeros(1, 3, 4, 4),)),
    "list_reuse": (ListReuse, lambda: (torch.zeros(2, 10),)),
    "siamese_shared": (lambda: Siamese(copied=False), lambda: (torch.zeros(2, 10), torch.zeros(2, 10))),
    "siamese_deepcopy": (lambda: Siamese(copied=True), lambda: (torch.zeros(2, 10), torch.zeros(2, 10))),
    "siamese_deepcopy_in_batch": (
        InBatchSiamese,
        lambda: (torch.zeros(2, 10), torch.zeros(3, 10)),
    ),
    "dpr": (DPRRetriever, lambda: (torch.zeros(2, 8, dtype=torch.long), torch.ones(3, 8, dtype=torch.long))),
    "siamese_vit_deepcopy": (
        lambda: SiameseViT(copied=True).eval(),
        lambda: (torch.zeros(1, 3, 16, 16), torch.ones(1, 3, 16, 16)),
    ),
    "siamese_lstm_shared": (
        lambda: SiameseLSTM(copied=False),
        lambda: (torch.zeros(2, 5, 6), torch.ones(2, 5, 6)),
    ),
    "siamese_lstm_deepcopy": (
        lambda: SiameseLSTM(copied=True),
        lambda: (torch.zeros(2, 5, 6), torch.ones(2, 5, 6)),
    ),
    "two_stream": (TwoStream, lambda: (torch.zeros(1, 3, 8, 8), torch.zeros(1, 2, 8, 8))),
    "two_tower": (TwoTower, lambda: (torch.zeros(4, dtype=torch.long), torch.zeros(4, dtype=torch.long))),
}
# Stock designs of alike layers on different inputs, logged with and without the helper
# (tests/test_pytorch.py): never a missed sharing.
BY_DESIGN = ("two_stream", "two_tower", "dpr")
# Logged without the helper only (tests/test_pytorch.py): their buffers are the point.
GRAPH_ONLY = {
    "roberta": (lambda: LogitsOnly(roberta()), lambda: (torch.zeros(1, 8, dtype=torch.long),)),
    "swin": (lambda: PixelsOnly(swin()), lambda: (torch.zeros(1, 3, 16, 16),)),
    "gpt_neo": (lambda: LogitsOnly(gpt_neo()), lambda: (torch.ones(1, 8, dtype=torch.long),)),
}


# Parameters the forward pass never reads (tests/test_pytorch.py): the report warns of them.
PARTLY_READ = {"unused_head": (UnusedHead, lambda: (torch.zeros(2, 4),))}


def write(logdir, name, writer_name, log_parameters=True, run=None):
    """Log one model's graph (and its parameters with the helper) as run `{name}_{writer}`;
    returns PyTorch's truth."""
    torch.manual_seed(0)
    make, inputs = MODELS.get(name) or GRAPH_ONLY.get(name) or PARTLY_READ[name]
    model = make()
    writer = WRITERS[writer_name](os.path.join(str(logdir), run or f"{name}_{writer_name}"))
    writer.add_graph(model, inputs())
    if log_parameters:
        summary.torch_parameters(model, writer)
    writer.close()
    return {
        "names": sorted(n for n, _ in model.named_parameters()),
        "params": sum(p.numel() for p in model.parameters()),
        "tensors": len(list(model.parameters())),
    }
