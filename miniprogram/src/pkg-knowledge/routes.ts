/** The knowledge base sub-package (pkg-knowledge): public articles, search by category, 问题已解决 from the forms. */
export const KNOWLEDGE_ROUTES = {
  index: '/pkg-knowledge/index/index',
  article: '/pkg-knowledge/article/index',
} as const;

/** Where the customer opened the article from: the consultation or fault form (deflection), or the knowledge pages. */
export type KnowledgeFrom = 'consultation' | 'fault' | 'miniprogram';

export const articleUrl = (id: string, from: KnowledgeFrom = 'miniprogram') =>
  `${KNOWLEDGE_ROUTES.article}?id=${encodeURIComponent(id)}&from=${from}`;
