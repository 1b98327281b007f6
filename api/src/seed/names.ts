import type { Random } from './random';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建文辉力国志海燕鹏飞宇浩然欣怡子涵梓轩晨阳思远佳琪雨桐俊杰嘉豪晓东春梅秋菊冬生德福永康';
const ROADS = [
  '麓山路',
  '五一大道',
  '芙蓉中路',
  '韶山北路',
  '人民东路',
  '湘江中路',
  '劳动西路',
  '解放西路',
  '桐梓坡路',
  '金星北路',
  '岳麓大道',
  '东二环',
  '万家丽路',
  '车站北路',
  '黄兴路',
  '书院路',
  '枫林路',
  '望城大道',
  '星沙大道',
  '开元路',
];
const VILLAGES = ['白沙村', '金桥村', '新河村', '石门村', '枫树村', '杨林村', '黄花镇', '靖港镇', '乔口镇', '关山村'];
const COMPANY_WORDS = ['星城', '湘江', '麓谷', '岳麓', '芙蓉', '天心', '开福', '雨花', '楚天', '潇湘', '洞庭', '长株潭'];
const COMPANY_KINDS = ['制造', '电子', '机械', '食品', '物流', '商贸', '建材', '医药', '纺织', '科技'];

export function personName(r: Random): string {
  const given = r.chance(0.7) ? r.pick(GIVEN.split('')) + r.pick(GIVEN.split('')) : r.pick(GIVEN.split(''));
  return r.pick(SURNAMES.split('')) + given;
}

export function phoneNumber(r: Random): string {
  const prefix = r.pick(['135', '136', '137', '138', '139', '150', '151', '152', '158', '159', '177', '186', '187', '188', '199']);
  return prefix + String(r.int(0, 99_999_999)).padStart(8, '0');
}

export function address(r: Random, district: string, rural: boolean): string {
  if (rural) return `长沙市${district}${r.pick(VILLAGES)}${r.int(1, 12)}组${r.int(1, 80)}号`;
  return `长沙市${district}${r.pick(ROADS)}${r.int(1, 999)}号${r.int(1, 30)}栋${r.int(1, 6)}单元${r.int(1, 33)}0${r.int(1, 4)}室`;
}

export function companyName(r: Random, i: number): string {
  return `长沙${r.pick(COMPANY_WORDS)}${r.pick(COMPANY_KINDS)}${i}有限公司`;
}
