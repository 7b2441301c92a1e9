"""PyTorch logging style: `SummaryWriter.add_graph` plus `tb_scopes_plugin.summary.torch_parameters`.

Two runs of one small model that embeds two token sequences, encodes each with a `Tower`, and
scores them against each other through the embedding matrix (tied input and output embeddings):
- `pytorch_shared`: one `Tower` module called on both sequences, as intended;
- `pytorch_deepcopy_bug`: the second tower made with `copy.deepcopy`, so each trains its own copy.
"""

import copy

import torch
from torch import nn
from torch.utils.tensorboard import SummaryWriter

from tb_scopes_plugin import summary


class Tower(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(width, width), nn.Linear(width, width)

    def forward(self, x):
        return self.fc2(torch.tanh(self.fc1(x)))


class PairScorer(nn.Module):
    def __init__(self, vocab=32, width=16, copied=False):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.left = Tower(width)
        self.right = copy.deepcopy(self.left) if copied else self.left
        self.out = nn.Linear(width, vocab, bias=False)
        self.out.weight = self.embed.weight  # tied input and output embeddings

    def forward(self, a, b):
        return self.out(self.left(self.embed(a).mean(1)) - self.right(self.embed(b).mean(1)))


def train(logdir, copied, steps=30, seed=0):
    torch.manual_seed(seed)
    model = PairScorer(copied=copied)
    a = torch.randint(0, 32, (64, 6))
    b = torch.randint(0, 32, (64, 6))
    target = torch.randint(0, 32, (64,))
    writer = SummaryWriter(logdir)
    writer.add_graph(model, (a[:2], b[:2]))
    summary.torch_parameters(model, writer)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    losses = []
    for step in range(steps):
        loss = nn.functional.cross_entropy(model(a, b), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        writer.add_scalar("loss", loss.item(), step)
        losses.append(loss.item())
    writer.close()
    return losses
