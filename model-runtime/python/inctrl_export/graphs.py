"""The batched modules exported as ONNX graphs (docs/model-bundle.md, "Graphs").

Every op of these modules works per row of the batch axis, so a query's scores do not depend
on what it is batched with (the reference mixes rows when its batch exceeds one; see
inctrl-reference.md). The shot-only work (normalizing and transposing the shot patch tokens,
averaging the shots' adapted embeddings) is done once per line by the runtime, with
``shot_patch_bank`` and ``shot_adapted_mean`` below as the definitions.
"""

from typing import Tuple

import torch
from torch import nn

from .config import LOGIT_SCALE
from .model import InCTRL


class ImageEncoder(nn.Module):
    """pixels [B,3,240,240] -> patch_tokens [B,3,N,W], embedding [B,E], adapted [B,E]."""

    def __init__(self, model: InCTRL):
        super().__init__()
        self.model = model

    def forward(self, pixels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        patch_tokens, embedding = self.model.encode_image(pixels)
        return patch_tokens, embedding, self.model.adapter(embedding)


class TextEncoder(nn.Module):
    """token_ids [B,77] int64 -> text_features [B,E] (not normalized)."""

    def __init__(self, model: InCTRL):
        super().__init__()
        self.model = model

    def forward(self, token_ids: torch.Tensor) -> torch.Tensor:
        return self.model.encode_text(token_ids)


class Scorer(nn.Module):
    """Query features + one line's shot bank -> the score components (see the contract)."""

    def __init__(self, model: InCTRL):
        super().__init__()
        self.diff_head = model.diff_head
        self.diff_head_ref = model.diff_head_ref

    def forward(
        self,
        query_patch_tokens: torch.Tensor,  # [B,3,N,W]
        query_embedding: torch.Tensor,  # [B,E]
        query_adapted: torch.Tensor,  # [B,E]
        shot_patch_bank: torch.Tensor,  # [3,W,S], unit columns
        shot_adapted_mean: torch.Tensor,  # [E]
        text_prototypes: torch.Tensor,  # [2,E]
    ):
        q = query_patch_tokens / query_patch_tokens.norm(dim=-1, keepdim=True)
        similarity = torch.matmul(q, shot_patch_bank)  # [B,3,N,S]
        # min_j 0.5 * (1 - cos_j) == 0.5 * (1 - max_j cos_j) exactly: the map is monotone.
        residual = 0.5 * (1 - similarity.max(dim=-1).values)  # [B,3,N]
        patch_map = residual.mean(dim=1)  # [B,N]
        patch_score = patch_map.max(dim=-1).values  # [B]

        image_score = self.diff_head_ref(shot_adapted_mean - query_adapted)  # [B,1]

        e = query_embedding / query_embedding.norm(dim=-1, keepdim=True)
        text_score = (LOGIT_SCALE * e @ text_prototypes.T).softmax(dim=-1)[:, 1:2]  # [B,1]

        holistic = text_score + image_score + patch_map  # [B,N]
        holistic_score = self.diff_head(holistic)[:, 0]
        final_score = (holistic_score + patch_score) / 2
        return (
            final_score,
            holistic_score,
            patch_score,
            image_score[:, 0],
            text_score[:, 0],
            patch_map,
        )


def shot_patch_bank(shot_patch_tokens: torch.Tensor) -> torch.Tensor:
    """[K,3,N,W] encoder output of K shots -> [3,W,K*N]: unit columns, column k*N + j."""
    k, layers, n, w = shot_patch_tokens.shape
    s = shot_patch_tokens / shot_patch_tokens.norm(dim=-1, keepdim=True)
    return s.permute(1, 3, 0, 2).reshape(layers, w, k * n)


def shot_adapted_mean(shot_adapted: torch.Tensor) -> torch.Tensor:
    """[K,E] adapted shot embeddings -> [E]: a_s."""
    return shot_adapted.mean(dim=0)
