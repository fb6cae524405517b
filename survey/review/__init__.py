"""Translation review: translators' notes on form texts, and which texts they checked."""
