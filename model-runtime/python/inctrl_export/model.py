"""InCTRL in PyTorch with OpenCLIP/InCTRL state-dict names.

The module tree mirrors the reference (mala-lab/InCTRL, open_clip/model.py and
transformer.py) so that a released checkpoint loads with strict key checking:
``visual.*`` is OpenCLIP's VisionTransformer, the text tower sits at the top level
(``token_embedding``, ``positional_embedding``, ``transformer``, ``ln_final``,
``text_projection``), followed by ``adapter``, ``diff_head`` and ``diff_head_ref``.

``InCTRL.score_components`` is the reference semantics at batch size 1, written plainly; it
is what golden vectors come from. The batched graphs that get exported live in
``graphs.py``.
"""

from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .config import HEAD_HIDDEN, LOGIT_SCALE, ModelConfig


class ResidualAttentionBlock(nn.Module):
    """Pre-norm transformer block of OpenCLIP (sequence-first layout, packed in_proj)."""

    def __init__(self, width: int, heads: int, mlp_ratio: float):
        super().__init__()
        hidden = int(width * mlp_ratio)
        self.ln_1 = nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(
            OrderedDict(
                [
                    ("c_fc", nn.Linear(width, hidden)),
                    ("gelu", nn.GELU()),
                    ("c_proj", nn.Linear(hidden, width)),
                ]
            )
        )

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=attn_mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int, mlp_ratio: float):
        super().__init__()
        self.resblocks = nn.ModuleList(
            [ResidualAttentionBlock(width, heads, mlp_ratio) for _ in range(layers)]
        )

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        for block in self.resblocks:
            x = block(x, attn_mask)
        return x


class VisionTransformer(nn.Module):
    """OpenCLIP ViT (conv1 without bias, class token, ln_pre, blocks, ln_post, proj)."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        v = config.vision
        self.config = v
        self.conv1 = nn.Conv2d(3, v.width, v.patch_size, v.patch_size, bias=False)
        self.class_embedding = nn.Parameter(torch.zeros(v.width))
        self.positional_embedding = nn.Parameter(torch.zeros(v.patches + 1, v.width))
        self.ln_pre = nn.LayerNorm(v.width)
        self.transformer = Transformer(v.width, v.layers, v.heads, v.mlp_ratio)
        self.ln_post = nn.LayerNorm(v.width)
        self.proj = nn.Parameter(torch.zeros(v.width, config.embed_dim))

    def forward(self, pixels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """pixels [B,3,H,W] -> (patch tokens [B,3,N,W] of the tap layers, embedding [B,E])."""
        x = self.conv1(pixels)
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)  # [B, N, W]
        cls = self.class_embedding + torch.zeros(
            x.shape[0], 1, x.shape[-1], dtype=x.dtype, device=x.device
        )
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x)
        x = x.permute(1, 0, 2)  # [L, B, W]
        taps: List[torch.Tensor] = []
        for index, block in enumerate(self.transformer.resblocks):
            x = block(x)
            if index in self.config.tap_layers:
                taps.append(x[1:].permute(1, 0, 2))  # class token dropped, [B, N, W]
        pooled = self.ln_post(x[0])
        return torch.stack(taps, dim=1), pooled @ self.proj


class Adapter(nn.Module):
    """psi: Linear(E -> E/r, no bias) -> ReLU -> Linear(E/r -> E, no bias) -> ReLU."""

    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc = nn.Sequential(
            nn.Linear(dim, hidden, bias=False),
            nn.ReLU(),
            nn.Linear(hidden, dim, bias=False),
            nn.ReLU(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x)


class BasicHead(nn.Module):
    """InCTRL's "TransformerBasicHead": three linears with ReLU + BatchNorm, then sigmoid.

    ``bn1`` exists in the reference (and its checkpoints) but is never applied.
    """

    def __init__(self, dim_in: int):
        super().__init__()
        h1, h2 = HEAD_HIDDEN
        self.projection1 = nn.Linear(dim_in, h1)
        self.projection2 = nn.Linear(h1, h2)
        self.projection3 = nn.Linear(h2, 1)
        self.bn1 = nn.BatchNorm1d(dim_in)
        self.bn2 = nn.BatchNorm1d(h1)
        self.bn3 = nn.BatchNorm1d(h2)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        x = self.bn2(F.relu(self.projection1(x)))
        x = self.bn3(F.relu(self.projection2(x)))
        return self.projection3(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(x))


def causal_mask(length: int) -> torch.Tensor:
    return torch.full((length, length), float("-inf")).triu_(1)


class InCTRL(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        t = config.text
        self.visual = VisionTransformer(config)
        self.transformer = Transformer(t.width, t.layers, t.heads, t.mlp_ratio)
        self.token_embedding = nn.Embedding(t.vocab_size, t.width)
        self.positional_embedding = nn.Parameter(torch.zeros(t.context_length, t.width))
        self.ln_final = nn.LayerNorm(t.width)
        self.text_projection = nn.Parameter(torch.zeros(t.width, config.embed_dim))
        self.register_buffer("attn_mask", causal_mask(t.context_length), persistent=False)
        self.adapter = Adapter(config.embed_dim, config.adapter_dim)
        self.diff_head = BasicHead(config.vision.patches)
        self.diff_head_ref = BasicHead(config.embed_dim)
        self.eval()

    # ---- towers -------------------------------------------------------------------------

    def encode_image(self, pixels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """[B,3,240,240] -> (patch tokens [B,3,N,W], embedding [B,E] not normalized)."""
        return self.visual(pixels)

    def encode_text(self, token_ids: torch.Tensor) -> torch.Tensor:
        """[B,77] int64 -> [B,E]: ln_final at the eot (argmax) position @ text_projection."""
        x = self.token_embedding(token_ids) + self.positional_embedding
        x = self.transformer(x.permute(1, 0, 2), self.attn_mask).permute(1, 0, 2)
        x = self.ln_final(x)
        eot = token_ids.argmax(dim=-1)
        index = eot.reshape(-1, 1, 1).expand(-1, 1, x.shape[-1])
        return torch.gather(x, 1, index)[:, 0] @ self.text_projection

    @torch.no_grad()
    def text_prototypes(self, tokenizer, category: str, batch: int = 64) -> torch.Tensor:
        """[2,E]: normalized mean of normalized prompt features, row 0 normal, row 1 anomalous."""
        from .tokenizer import prompt_ensemble

        rows = []
        for prompts in prompt_ensemble(category):
            ids = torch.from_numpy(tokenizer.tokenize(prompts, self.config.text.context_length))
            features = torch.cat([self.encode_text(ids[i : i + batch]) for i in range(0, len(ids), batch)])
            features = features / features.norm(dim=-1, keepdim=True)
            mean = features.mean(dim=0)
            rows.append(mean / mean.norm())
        return torch.stack(rows)

    # ---- reference semantics at batch size 1 -----------------------------------------------

    @torch.no_grad()
    def score_components(
        self, query_pixels: torch.Tensor, shot_pixels: torch.Tensor, prototypes: torch.Tensor
    ) -> Dict[str, torch.Tensor]:
        """Scores one query against K shots exactly as the reference does at batch size 1.

        query_pixels [3,H,W] or [1,3,H,W]; shot_pixels [K,3,H,W]; prototypes [2,E] (F_n, F_a).
        Returns final, hl, s_p, s_i, s_a (0-d tensors) and patch_map M ([N]).
        """
        if query_pixels.dim() == 3:
            query_pixels = query_pixels.unsqueeze(0)
        if query_pixels.shape[0] != 1:
            raise ValueError(f"expected one query, found {query_pixels.shape[0]}")
        q_tokens, q_emb = self.encode_image(query_pixels)  # [1,3,N,W], [1,E]
        s_tokens, s_emb = self.encode_image(shot_pixels)  # [K,3,N,W], [K,E]
        shots, layers, patches, width = s_tokens.shape

        residuals = []
        for layer in range(layers):
            q = q_tokens[0, layer]  # [N, W]
            s = s_tokens[:, layer].reshape(shots * patches, width)  # row k*N + j
            q = q / q.norm(dim=-1, keepdim=True)
            s = s / s.norm(dim=-1, keepdim=True)
            residuals.append((0.5 * (1 - q @ s.T)).min(dim=1).values)  # [N]
        patch_map = torch.stack(residuals).mean(dim=0)
        s_p = patch_map.max()

        a_q = self.adapter(q_emb)  # [1,E]
        a_s = self.adapter(s_emb).mean(dim=0, keepdim=True)  # [1,E]
        s_i = self.diff_head_ref(a_s - a_q)[0, 0]

        e = q_emb / q_emb.norm(dim=-1, keepdim=True)
        s_a = (LOGIT_SCALE * e @ prototypes.T).softmax(dim=-1)[0, 1]

        holistic = s_a + s_i + patch_map
        hl = self.diff_head(holistic.unsqueeze(0))[0, 0]
        final = (hl + s_p) / 2
        return {
            "final": final,
            "hl": hl,
            "s_p": s_p,
            "s_i": s_i,
            "s_a": s_a,
            "patch_map": patch_map,
        }


COMPONENTS: Sequence[str] = ("final", "hl", "s_p", "s_i", "s_a", "patch_map")
